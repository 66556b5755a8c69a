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

    /// <summary>
    /// Matches the part of the path after the SCIM base URL (the route's <c>{**rest}</c>, as the
    /// server decoded it). The id is taken from <paramref name="rawRest"/>, the same part as the
    /// client sent it, decoded exactly once: the server has already decoded the path (all but
    /// <c>%2F</c>), so decoding its result again would read <c>%2541</c> as <c>A</c> and let one
    /// resource be named by many spellings. Without the raw part (or when it does not line up with
    /// the decoded one) the id is the decoded segment as it is.
    /// </summary>
    public static ScimOperationMatch Resolve(string method, string? rest, string? rawRest = null)
    {
        ArgumentNullException.ThrowIfNull(method);
        var segments = Segments(rest);
        var rawSegments = rawRest is null ? null : Segments(rawRest);
        foreach (var endpoint in Endpoints)
        {
            if (Matches(endpoint, segments, rawSegments?.Length == segments.Length ? rawSegments : null, out var id))
            {
                var allowed = endpoint.Methods.FirstOrDefault(m => string.Equals(m.Method, method, StringComparison.OrdinalIgnoreCase));
                return new ScimOperationMatch(endpoint, allowed, id);
            }
        }

        return new ScimOperationMatch(null, null, null);
    }

    /// <summary>
    /// The raw form of a request's <c>{**rest}</c>: as many trailing segments of the request target's
    /// path as the decoded rest has (the server never decodes <c>%2F</c>, so segments line up).
    /// </summary>
    public static string? RawRest(string? rawTarget, string? rest)
    {
        if (rawTarget is null || !rawTarget.StartsWith('/'))
        {
            return null;
        }

        var query = rawTarget.IndexOfAny(['?', '#']);
        var path = (query < 0 ? rawTarget : rawTarget[..query]).TrimEnd('/');
        var decoded = (rest ?? string.Empty).AsSpan().Trim('/');
        var count = decoded.IsEmpty ? 0 : decoded.Count('/') + 1;
        if (count == 0)
        {
            return string.Empty;
        }

        // Dot segments are removed by the server after decoding: the raw path no longer lines up.
        if ((path.Contains("/.", StringComparison.Ordinal) || path.Contains("%2E", StringComparison.OrdinalIgnoreCase))
            && path.Split('/').Any(segment => Uri.UnescapeDataString(segment) is "." or ".."))
        {
            return null;
        }

        var start = path.Length;
        for (var found = 0; found < count; found++)
        {
            start = start <= 0 ? -1 : path.LastIndexOf('/', start - 1);
            if (start < 0)
            {
                return null;
            }
        }

        return path[(start + 1)..];
    }

    private static string[] Segments(string? rest)
    {
        var trimmed = (rest ?? string.Empty).Trim('/');
        return trimmed.Length == 0 ? [] : trimmed.Split('/');
    }

    private static bool Matches(ScimEndpoint endpoint, string[] segments, string[]? rawSegments, out string? id)
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

                id = rawSegments is null ? segments[i] : Uri.UnescapeDataString(rawSegments[i]);
            }
            else if (!string.Equals(segments[i], expected, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }
}
