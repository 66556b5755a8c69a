namespace Veritas.Scim.Gateway.Scim;

/// <summary>What a SCIM request asks for, once its path and method are matched against <see cref="ScimOperations"/>.</summary>
internal enum ScimOperationKind
{
    QueryUsers,
    CreateUser,
    SearchUsers,
    GetUser,
    ReplaceUser,
    PatchUser,
    DeleteUser,
    GetServiceProviderConfig,
    ListResourceTypes,
    GetResourceType,
    ListSchemas,
    GetSchema,
}

/// <summary>One method allowed on an endpoint, the operation it runs and that operation's verb in telemetry.</summary>
internal sealed record ScimMethod(string Method, ScimOperationKind Kind, string Verb);

/// <summary>
/// One SCIM endpoint under the tenant's base URL: a path of literal segments and at most one
/// <c>{id}</c>, the resource type it belongs to and the methods it answers. An endpoint without
/// methods (Groups) is known, so that it is named in telemetry, but answered with 404.
/// </summary>
internal sealed record ScimEndpoint(string ResourceType, IReadOnlyList<string> Path, IReadOnlyList<ScimMethod> Methods)
{
    public const string IdSegment = "{id}";

    public string Allow => string.Join(", ", Methods.Select(m => m.Method));

    public bool IsServed => Methods.Count > 0;
}

/// <summary>A request matched against the table: the endpoint (null: no SCIM endpoint there), the operation (null: method not allowed) and the id.</summary>
internal sealed record ScimOperationMatch(ScimEndpoint? Endpoint, ScimMethod? Method, string? Id)
{
    public string ResourceType => Endpoint?.ResourceType ?? "unknown";

    /// <summary>The operation's name in telemetry ("User.create"); never a value from the path.</summary>
    public string OperationName => ResourceType + "." + (Method?.Verb ?? "unsupported");
}

/// <summary>
/// The one table of SCIM operations: dispatch, the Allow header of a 405 and telemetry all read it.
/// Literal segments match ignoring letter case everywhere (<c>/users</c> and <c>/Users/{id}</c>
/// alike), because Entra and other clients differ in the case they send and the RFC names the
/// endpoints without making case significant; ids are matched exactly, as the store keeps them.
/// </summary>
internal static class ScimOperations
{
    private const string Get = "GET";
    private const string Post = "POST";

    public static IReadOnlyList<ScimEndpoint> Endpoints { get; } =
    [
        new("User", ["Users"], [new(Get, ScimOperationKind.QueryUsers, "query"), new(Post, ScimOperationKind.CreateUser, "create")]),
        new("User", ["Users", ".search"], [new(Post, ScimOperationKind.SearchUsers, "search")]),
        new("User", [".search"], [new(Post, ScimOperationKind.SearchUsers, "search")]),
        new("User", ["Users", ScimEndpoint.IdSegment],
        [
            new(Get, ScimOperationKind.GetUser, "get"),
            new("PUT", ScimOperationKind.ReplaceUser, "replace"),
            new("PATCH", ScimOperationKind.PatchUser, "patch"),
            new("DELETE", ScimOperationKind.DeleteUser, "delete"),
        ]),
        new("ServiceProviderConfig", ["ServiceProviderConfig"], [new(Get, ScimOperationKind.GetServiceProviderConfig, "get")]),
        new("ResourceType", ["ResourceTypes"], [new(Get, ScimOperationKind.ListResourceTypes, "get")]),
        new("ResourceType", ["ResourceTypes", ScimEndpoint.IdSegment], [new(Get, ScimOperationKind.GetResourceType, "get")]),
        new("Schema", ["Schemas"], [new(Get, ScimOperationKind.ListSchemas, "get")]),
        new("Schema", ["Schemas", ScimEndpoint.IdSegment], [new(Get, ScimOperationKind.GetSchema, "get")]),
        new("Group", ["Groups"], []),
        new("Group", ["Groups", ScimEndpoint.IdSegment], []),
    ];

    /// <summary>Matches the part of the path after the SCIM base URL (the route's <c>{**rest}</c>).</summary>
    public static ScimOperationMatch Resolve(string method, string? rest)
    {
        ArgumentNullException.ThrowIfNull(method);
        var trimmed = (rest ?? string.Empty).Trim('/');
        string[] segments = trimmed.Length == 0 ? [] : trimmed.Split('/');
        foreach (var endpoint in Endpoints)
        {
            if (Matches(endpoint, segments, out var id))
            {
                var allowed = endpoint.Methods.FirstOrDefault(m => string.Equals(m.Method, method, StringComparison.OrdinalIgnoreCase));
                return new ScimOperationMatch(endpoint, allowed, id);
            }
        }

        return new ScimOperationMatch(null, null, null);
    }

    private static bool Matches(ScimEndpoint endpoint, string[] segments, out string? id)
    {
        id = null;
        if (segments.Length != endpoint.Path.Count)
        {
            return false;
        }

        for (var i = 0; i < segments.Length; i++)
        {
            var expected = endpoint.Path[i];
            if (expected == ScimEndpoint.IdSegment)
            {
                if (segments[i].Length == 0)
                {
                    return false;
                }

                id = Uri.UnescapeDataString(segments[i]);
            }
            else if (!string.Equals(segments[i], expected, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }
}
