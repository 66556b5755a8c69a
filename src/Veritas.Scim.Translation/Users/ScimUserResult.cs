using System.Text.Json;
using System.Text.Json.Nodes;
using Veritas.Scim.Protocol.Projection;
using Veritas.Scim.Protocol.Schemas;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Translation.Users;

/// <summary>A User as SCIM presents it, with the entity tag of the version it shows.</summary>
public sealed record ScimUserResult(string Id, UserResource Resource, string ETag);

/// <summary>One page of a query: the users (not yet projected) and how many match in all.</summary>
public sealed record ScimUserPage(int TotalResults, int StartIndex, IReadOnlyList<UserResource> Resources);

/// <summary>
/// A User the gateway answers with. A response that asks for no projection writes it straight
/// from the account (<see cref="UserMapper.WriteResource"/>); the tree of nodes is made only for
/// what needs one (a projection, a filter evaluated in memory), and a resource that already is a
/// tree (a PATCH that changed nothing) is written from it.
/// </summary>
public sealed class UserResource
{
    private readonly ArchiveAccount? _account;
    private readonly string _baseUrl;
    private JsonObject? _tree;

    internal UserResource(ArchiveAccount account, string baseUrl)
    {
        _account = account;
        _baseUrl = baseUrl;
    }

    internal UserResource(JsonObject tree)
    {
        _tree = tree;
        _baseUrl = string.Empty;
    }

    /// <summary>The resource as a tree, made on first use; the caller may change it (it is this resource's own).</summary>
    public JsonObject Tree => _tree ??= UserMapper.ToResource(_account!, _baseUrl);

    /// <summary>meta.location.</summary>
    public string? Location => _account is not null ? UserMapper.LocationOf(_account, _baseUrl) : (string?)Tree["meta"]?["location"];

    /// <summary>Writes the resource as a response without <c>attributes</c> or <c>excludedAttributes</c> shows it.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (_tree is null)
        {
            UserMapper.WriteResource(writer, _account!, _baseUrl);
        }
        else
        {
            AttributeProjection.ApplyToOwned(_tree, UserSchemas.Resource, [], []).WriteTo(writer);
        }
    }
}
