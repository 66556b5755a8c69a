using System.Text.Json.Nodes;
using CsCheck;

namespace Veritas.Scim.Protocol.Tests;

/// <summary>Random request shapes as clients send them: names in any case, strings for booleans, extensions.</summary>
internal static class Generators
{
    private static readonly string[] TopLevelNames =
    [
        "userName", "USERNAME", "displayName", "active", "Active", "title", "externalId", "nickName", "unknownThing",
        "name.givenName", "urn:ietf:params:scim:schemas:core:2.0:User:displayName",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
    ];

    private static readonly Gen<JsonNode?> Scalar = Gen.OneOf<JsonNode?>(
        Gen.String[Gen.Char.AlphaNumeric, 0, 12].Select(s => (JsonNode?)JsonValue.Create(s)),
        Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)),
        Gen.OneOfConst("True", "false", "FALSE").Select(s => (JsonNode?)JsonValue.Create(s)),
        Gen.Int[-5, 5].Select(i => (JsonNode?)JsonValue.Create(i)),
        Gen.Const((JsonNode?)null));

    private static readonly Gen<JsonNode?> Email = Gen.Select(Gen.String[Gen.Char.AlphaNumeric, 1, 8], Gen.OneOfConst("work", "home", "Work"), Scalar,
        (value, type, primary) => (JsonNode?)new JsonObject { ["Value"] = value + "@x.com", ["type"] = type, ["primary"] = primary?.DeepClone() });

    public static Gen<JsonObject> ClientUserBody { get; } = Gen.Select(
        Gen.OneOfConst(TopLevelNames).Select(Scalar).Array[0, 6],
        Email.Array[0, 3],
        Gen.OneOf(Gen.Const((JsonNode?)null), Gen.String[Gen.Char.AlphaNumeric, 0, 20].Select(s => (JsonNode?)JsonValue.Create("smtp:" + s))),
        (pairs, emails, aliases) =>
        {
            var body = new JsonObject();
            foreach (var (name, value) in pairs)
            {
                body[name] = value;
            }

            if (emails.Length > 0)
            {
                body["emails"] = new JsonArray(emails);
            }

            if (aliases is not null)
            {
                body["urn:ietf:params:scim:schemas:extension:veritas:2.0:User"] = new JsonObject { ["emailAliases"] = aliases };
            }

            return body;
        });
}
