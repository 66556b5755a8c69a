using System.Text.Json.Nodes;

namespace Veritas.Scim.Gateway.Cli.Simulation;

/// <summary>
/// The requests Microsoft Entra's provisioning service sends to a SCIM endpoint, in the shapes of
/// Microsoft's "Develop and plan provisioning for a SCIM endpoint" tutorial: core and enterprise
/// schema only in <c>schemas</c> (the extension object sent anyway), capitalised PATCH op names,
/// booleans as strings, and <c>emailAliases</c> as Entra's <c>Join(",", [proxyAddresses])</c>.
/// </summary>
internal static class EntraProvisioningRequests
{
    public const string CoreSchema = "urn:ietf:params:scim:schemas:core:2.0:User";
    public const string EnterpriseSchema = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    public const string VeritasSchema = "urn:ietf:params:scim:schemas:extension:veritas:2.0:User";
    public const string PatchOpSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    public const string Domain = "simulate.example";

    /// <summary>The relative URI of Entra's lookup of one user by userName (also Test Connection's shape).</summary>
    public static string QueryByUserName(string userName) =>
        "Users?filter=" + Uri.EscapeDataString($"userName eq \"{userName}\"");

    public static string UserName(string prefix, int index) => $"{prefix}.{index:D6}@{Domain}";

    /// <summary>proxyAddresses as Exchange keeps them: the primary (SMTP:), secondary addresses (smtp:) and an x500 entry.</summary>
    public static string ProxyAddresses(string prefix, int index, int generation) => string.Join(
        ",",
        $"SMTP:{UserName(prefix, index)}",
        $"smtp:{prefix}.{index:D6}.alias{generation}@{Domain}",
        $"smtp:{prefix}.{index:D6}.shared{generation}@{Domain}",
        $"x500:/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn={prefix}{index:D6}");

    public static JsonObject CreateUser(string prefix, int index) => new()
    {
        ["schemas"] = new JsonArray(CoreSchema, EnterpriseSchema),
        ["externalId"] = Guid.NewGuid().ToString(),
        ["userName"] = UserName(prefix, index),
        ["active"] = true,
        ["displayName"] = $"Simulated User {index}",
        ["emails"] = new JsonArray(new JsonObject { ["primary"] = true, ["type"] = "work", ["value"] = UserName(prefix, index) }),
        ["meta"] = new JsonObject { ["resourceType"] = "User" },
        ["name"] = new JsonObject { ["formatted"] = $"Simulated User {index}", ["familyName"] = $"User {index}", ["givenName"] = "Simulated" },
        ["roles"] = new JsonArray(),
        [VeritasSchema] = new JsonObject { ["emailAliases"] = ProxyAddresses(prefix, index, 1) },
    };

    /// <summary>An incremental cycle's PATCH: what changed in the directory, as Entra's Replace operations.</summary>
    public static JsonObject UpdateUser(string prefix, int index) => Patch(
        Replace("displayName", $"Simulated User {index} (renamed)"),
        Replace("name.familyName", $"User {index} renamed"),
        Replace("active", "True"),
        Replace(VeritasSchema + ":emailAliases", ProxyAddresses(prefix, index, 2)));

    /// <summary>A leaver: Entra disables before it deletes, with the boolean as a string.</summary>
    public static JsonObject DisableUser() => Patch(Replace("active", "False"));

    private static JsonObject Replace(string path, string value) => new() { ["op"] = "Replace", ["path"] = path, ["value"] = value };

    private static JsonObject Patch(params JsonObject[] operations) => new()
    {
        ["schemas"] = new JsonArray(PatchOpSchema),
        ["Operations"] = new JsonArray([.. operations]),
    };
}
