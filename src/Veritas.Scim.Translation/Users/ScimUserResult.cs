using System.Text.Json.Nodes;

namespace Veritas.Scim.Translation.Users;

/// <summary>A User as SCIM presents it, with the entity tag of the version it shows.</summary>
public sealed record ScimUserResult(string Id, JsonObject Resource, string ETag);

/// <summary>One page of a query: the users (not yet projected) and how many match in all.</summary>
public sealed record ScimUserPage(int TotalResults, int StartIndex, IReadOnlyList<JsonObject> Resources);
