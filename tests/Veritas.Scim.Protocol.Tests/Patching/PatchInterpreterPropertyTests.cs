using System.Text.Json.Nodes;
using CsCheck;
using Veritas.Scim.Protocol.Patching;
using static Veritas.Scim.Protocol.Tests.Patching.PatchTestSupport;

namespace Veritas.Scim.Protocol.Tests.Patching;

public sealed class PatchInterpreterPropertyTests
{
    /// <summary>A path a client may patch, and how to read its value back from a canonical resource.</summary>
    private sealed record Target(string Path, bool IsBoolean, Func<JsonObject, JsonNode?> Read)
    {
        public override string ToString() => Path;
    }

    private static readonly Target[] Targets =
    [
        new("displayName", false, r => r["displayName"]),
        new("nickName", false, r => r["nickName"]),
        new("title", false, r => r["title"]),
        new("externalId", false, r => r["externalId"]),
        new("userName", false, r => r["userName"]),
        new("active", true, r => r["active"]),
        new("name.givenName", false, r => r["name"]?["givenName"]),
        new("name.familyName", false, r => r["name"]?["familyName"]),
        new("name.formatted", false, r => r["name"]?["formatted"]),
        new(Enterprise + ":employeeNumber", false, r => r[Enterprise]?["employeeNumber"]),
        new(Enterprise + ":department", false, r => r[Enterprise]?["department"]),
        new(Enterprise + ":costCenter", false, r => r[Enterprise]?["costCenter"]),
        new(Enterprise + ":manager.value", false, r => r[Enterprise]?["manager"]?["value"]),
        new(VeritasExtension + ":emailAliases", false, r => r[VeritasExtension]?["emailAliases"]),
        new("urn:ietf:params:scim:schemas:core:2.0:User:displayName", false, r => r["displayName"]),
        new("emails[type eq \"work\"].value", false, r => Email(r, "work")?["value"]),
        new("addresses[type eq \"work\"].locality", false, r => r["addresses"]?.AsArray().OfType<JsonObject>().SingleOrDefault(a => (string?)a["type"] == "work")?["locality"]),
    ];

    private static readonly Gen<Target> TargetGen = Gen.OneOfConst(Targets);

    /// <summary>A starting user: the sample, with some attributes already absent.</summary>
    private static readonly Gen<JsonObject> UserGen =
        Gen.Bool.Array[4].Select(absent =>
        {
            var user = User();
            string[] removable = ["name", "emails", Enterprise, "active"];
            for (var i = 0; i < removable.Length; i++)
            {
                if (absent[i])
                {
                    user.Remove(removable[i]);
                }
            }

            return user;
        });

    private static readonly Gen<string> OpCase = Gen.OneOfConst("{0}", "{1}", "{2}");

    /// <summary>The op name as Entra (PascalCase), the RFC (lower case) or a shouting client writes it.</summary>
    private static string OpName(PatchOperationKind kind, string style)
    {
        var name = kind.ToString();
        return string.Format(System.Globalization.CultureInfo.InvariantCulture, style, name, name.ToLowerInvariant(), name.ToUpperInvariant());
    }

    private static string Body(string op, string path, JsonNode? value) =>
        new JsonObject
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:api:messages:2.0:PatchOp"),
            ["Operations"] = new JsonArray(new JsonObject { ["op"] = op, ["path"] = path, ["value"] = value }),
        }.ToJsonString();

    [Fact]
    public void Add_or_replace_then_reading_the_attribute_back_gives_the_value() =>
        Gen.Select(UserGen, TargetGen, Gen.Bool, Gen.String[1, 30], Gen.Bool, OpCase)
            .Sample((user, target, isAdd, text, boolean, style) =>
            {
                var kind = isAdd ? PatchOperationKind.Add : PatchOperationKind.Replace;
                JsonNode sent = target.IsBoolean
                    ? (text.Length % 2 == 0 ? JsonValue.Create(boolean) : JsonValue.Create(boolean ? "True" : "FALSE"))
                    : JsonValue.Create(text);
                var result = ApplyBody(user, Body(OpName(kind, style), target.Path, sent));
                var read = target.Read(result.Resource);
                return target.IsBoolean ? read is not null && (bool)read == boolean : read is not null && (string?)read == text;
            });

    [Fact]
    public void Add_or_replace_without_a_path_then_reading_the_attribute_back_gives_the_value() =>
        Gen.Select(UserGen, TargetGen.Where(t => !t.Path.Contains('[', StringComparison.Ordinal)), Gen.Bool, Gen.String[1, 30])
            .Sample((user, target, isAdd, text) =>
            {
                JsonNode sent = target.IsBoolean ? JsonValue.Create("True") : JsonValue.Create(text);
                var result = Apply(user, new PatchOperation(isAdd ? PatchOperationKind.Add : PatchOperationKind.Replace, null, new JsonObject { [target.Path] = sent }));
                var read = target.Read(result.Resource);
                return target.IsBoolean ? read is not null && (bool)read : read is not null && (string?)read == text;
            });

    [Fact]
    public void Remove_makes_the_attribute_absent() =>
        Gen.Select(UserGen, TargetGen.Where(t => t.Path is not "userName" and not "active"), Gen.String[1, 30], OpCase)
            .Sample((user, target, text, style) =>
            {
                // Populate first so that removal has something to remove in most cases.
                JsonNode value = target.IsBoolean ? JsonValue.Create(true) : JsonValue.Create(text);
                var populated = Apply(user, Add(target.Path, value)).Resource;
                var result = ApplyBody(populated, Body(OpName(PatchOperationKind.Remove, style), target.Path, null));
                return target.Read(result.Resource) is null && result.Changed;
            });

    [Fact]
    public void Remove_of_an_attribute_that_must_stay_assigned_is_a_mutability_error() =>
        Gen.Select(UserGen, Gen.OneOfConst("userName", "active", "USERNAME", "Active"), OpCase)
            .Sample((user, path, style) =>
            {
                var populated = Apply(user, Add("active", JsonValue.Create(false))).Resource;
                var error = Assert.Throws<Errors.ScimException>(() => ApplyBody(populated, Body(OpName(PatchOperationKind.Remove, style), path, null)));
                Assert.Equal(Errors.ScimErrorType.Mutability, error.ScimType);
            });

    [Fact]
    public void A_patch_repeated_changes_nothing_the_second_time() =>
        Gen.Select(UserGen, TargetGen, Gen.Bool, Gen.String[1, 30])
            .Sample((user, target, isAdd, text) =>
            {
                JsonNode value = target.IsBoolean ? JsonValue.Create("False") : JsonValue.Create(text);
                var operation = new PatchOperation(isAdd ? PatchOperationKind.Add : PatchOperationKind.Replace, target.Path, value);
                var once = Apply(user, operation);
                return !Apply(once.Resource, operation).Changed;
            });

    [Fact]
    public void The_input_resource_is_never_modified() =>
        Gen.Select(UserGen, TargetGen, Gen.Int[0, 2], Gen.String[0, 10])
            .Sample((user, target, kind, text) =>
            {
                var snapshot = user.DeepClone();
                try
                {
                    Apply(user, new PatchOperation((PatchOperationKind)kind, target.Path, kind == 2 ? null : JsonValue.Create(text)));
                }
                catch (Errors.ScimException)
                {
                }

                return JsonNode.DeepEquals(snapshot, user);
            });

    /// <summary>
    /// However adds, replaces and removes of lists of any length follow each other, no attribute
    /// ends with more than <see cref="Veritas.Scim.Protocol.Resources.ResourceCanonicalizer.MaxValuesPerAttribute"/>
    /// values, and a refused PATCH leaves the resource as it was.
    /// </summary>
    [Fact]
    public void No_sequence_of_operations_grows_a_list_past_the_most_values()
    {
        var max = Veritas.Scim.Protocol.Resources.ResourceCanonicalizer.MaxValuesPerAttribute;
        var attributes = Gen.OneOfConst("phoneNumbers", "emails", "addresses", "undefinedList");
        var operation = Gen.Select(Gen.OneOfConst(PatchOperationKind.Add, PatchOperationKind.Replace, PatchOperationKind.Remove), attributes, Gen.Int[0, max + 30], Gen.Int[0, 400])
            .Select(o => o.Item1 == PatchOperationKind.Remove
                ? Remove(o.Item2)
                : new PatchOperation(o.Item1, o.Item2, new JsonArray([.. Enumerable.Range(o.Item4, o.Item3).Select(i => (JsonNode)new JsonObject { ["value"] = $"v{i}@example.test", ["type"] = "t" + (i % 7) })])));
        Gen.Select(UserGen, operation.Array[1, 6]).Sample(sample =>
        {
            var (user, operations) = sample;
            var before = user.DeepClone();
            try
            {
                var result = Apply(user, operations);
                foreach (var (name, value) in result.Resource)
                {
                    Assert.True(value is not JsonArray list || list.Count <= max, $"'{name}' has {(value as JsonArray)?.Count} values");
                }
            }
            catch (Errors.ScimException refused)
            {
                Assert.Equal(400, refused.Status);
                Assert.True(JsonNode.DeepEquals(before, user), "a refused PATCH changed the resource");
            }
        });
    }
}
