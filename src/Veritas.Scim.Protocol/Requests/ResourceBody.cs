using System.Text.Json.Nodes;
using Veritas.Scim.Protocol.Errors;
using Veritas.Scim.Protocol.Resources;
using Veritas.Scim.Protocol.Schemas;

namespace Veritas.Scim.Protocol.Requests;

/// <summary>
/// The body of a create (POST) or replace (PUT), read once at the door into the canonical form
/// (<see cref="ResourceCanonicalizer"/>): canonical attribute names, extensions under their URN,
/// values of the right type. Whoever holds one never meets the client's raw JSON.
/// </summary>
public sealed class ResourceBody
{
    private ResourceBody(JsonObject resource) => Resource = resource;

    /// <summary>The canonical resource; callers treat it as read-only.</summary>
    public JsonObject Resource { get; }

    /// <exception cref="ScimException">400 invalidValue or invalidSyntax.</exception>
    public static ResourceBody Parse(JsonObject body, ScimResourceSchema schema) =>
        new(ResourceCanonicalizer.CanonicalizeResource(body, schema));
}
