using System.Text.Json.Nodes;
using CsCheck;
using Veritas.Scim.Protocol.Errors;
using Veritas.Scim.Protocol.Patching;
using Veritas.Scim.Protocol.Schemas;
using static Veritas.Scim.Protocol.Tests.Patching.PatchTestSupport;

namespace Veritas.Scim.Protocol.Tests.Patching.Differential;

/// <summary>
/// The interpreter against an independent SCIM PATCH implementation, npm's <c>scim-patch</c>
/// (schema-less, run by patch-oracle.js), over generated users and operations: add, replace and
/// remove, with and without a path, on simple, complex, multi-valued and extension attributes,
/// through value filters, spelled as clients spell them. Where the two read RFC 7644 differently
/// the oracle's input or both answers are normalised by one of the rules below, each with the
/// section that decides it; after that every answer must be the same resource, and both must
/// refuse or neither.
/// </summary>
/// <remarks>
/// <list type="number">
/// <item>primary (RFC 7644 §3.5.2, RFC 7643 §2.4): a value made primary makes the others not
/// primary; scim-patch leaves that to its caller, so patch-oracle.js applies it after each
/// operation: the last value the operation sends as primary wins (through a filter, the last value
/// it matches). Identical values that differ only
/// in primary cannot be told apart by content: their order is not compared.</item>
/// <item>Unassigned (RFC 7643 §2.5) and <c>schemas</c> (§3): the interpreter drops a complex
/// attribute or extension object left empty and lists exactly the extensions present (asserted on
/// its own); scim-patch keeps <c>{}</c> and never edits <c>schemas</c>: both are compared without
/// <c>schemas</c> and without empty objects.</item>
/// <item>emailAliases is single-valued in the Veritas schema (the one string Entra sends, kept as
/// written): add replaces it (RFC 7644 §3.5.2.1, "the existing value is replaced"); scim-patch,
/// with no schema, appends to an array: it is given replace.</item>
/// <item>No path (RFC 7644 §3.5.2.1, §3.5.2.3: the target is the resource, each attribute of the
/// value as if it were the path): scim-patch splits an extension URN at its last colon and
/// replaces a complex attribute whole; it is given one operation per attribute (per sub-attribute
/// of an extension).</item>
/// <item>A remove through a filter that matches nothing, or of an absent attribute: RFC 7644
/// §3.5.2.2 names no error, and Entra's retries need remove to be idempotent, so nothing changes;
/// scim-patch refuses: patch-oracle.js skips that operation.</item>
/// <item>op names in any case, and booleans as strings (DESIGN.md §5: Entra sends "Replace" and
/// <c>"False"</c>): scim-patch is given lower-case op names and JSON booleans.</item>
/// <item>Attribute names in any case (RFC 7643 §2.1): scim-patch adds a second attribute; it is
/// given the schema's spelling.</item>
/// <item>caseExact false (RFC 7643 §4.1.2: e-mail type and value): a filter matches in any case;
/// scim-patch compares exactly, so it is given the literals as the data spells them, and where a
/// case spells one in upper case, e-mail types and values are compared lower-cased (a value a
/// filter creates keeps the client's spelling).</item>
/// <item>Replace of a whole value selected by a filter (RFC 7644 §3.5.2.3: "all matching record
/// values SHALL be replaced"): scim-patch merges into the record; it is first given a remove of
/// each sub-attribute the new value lacks.</item>
/// <item>A value repeated in one add (RFC 7644 §3.5.2.1: where the target "already contains the
/// value specified, no changes SHOULD be made"): it is added once; scim-patch, given it twice,
/// adds two; it is given each distinct value once.</item>
/// <item>Add or replace through a filter that matches nothing creates the value the filter
/// describes (DESIGN.md §5, for Entra's <c>emails[type eq "work"].value</c>; RFC 7644 §3.5.2.3
/// would answer noTarget to a replace); scim-patch refuses: such cases are counted, not
/// compared, and must stay under a quarter of all.</item>
/// </list>
/// </remarks>
public sealed class NpmPatchDifferentialTests(ITestOutputHelper output)
{
    private const int Cases = 800;

    private static readonly string[] EmailSubAttributes = ["value", "display", "type", "primary"];

    private static readonly Gen<string> Text = Gen.OneOfConst("Ann", "Bo", "ann", "Zed Q");

    private static readonly Gen<JsonNode> EmailGen = Gen.Select(Gen.OneOfConst("work", "home", "other"), Gen.OneOfConst("a@x.test", "b@x.test", "jo@home.example"), Gen.Bool)
        .Select((type, value, primary) => (JsonNode)new JsonObject { ["type"] = type, ["value"] = value, ["primary"] = primary });

    private static readonly Gen<JsonObject> UserGen =
        Gen.Select(Gen.Bool.Array[5], Gen.OneOfConst("a@x.test", "b@x.test").Array[0, 2]).Select((absent, aliases) =>
        {
            var user = User();
            string[] removable = ["name", "emails", Enterprise, "active", "displayName"];
            for (var i = 0; i < removable.Length; i++)
            {
                if (absent[i])
                {
                    user.Remove(removable[i]);
                }
            }

            if (absent[2])
            {
                user["schemas"] = new JsonArray(UserSchemas.CoreSchemaId);
            }

            if (aliases.Length > 0)
            {
                user[VeritasExtension] = new JsonObject { ["emailAliases"] = new JsonArray([.. aliases.Distinct().Select(a => (JsonNode)a)]) };
                user["schemas"]!.AsArray().Add(VeritasExtension);
            }

            return user;
        });

    private static readonly Gen<string> SimplePath = Gen.OneOfConst(
        "displayName", "nickName", "title", "userName", "externalId", "userType", "preferredLanguage", "locale", "timezone", "profileUrl",
        "name.givenName", "name.familyName", "name.formatted", "name.middleName",
        Enterprise + ":department", Enterprise + ":employeeNumber", Enterprise + ":manager.value",
        "emails[type eq \"work\"].value", "emails[type eq \"home\"].value", "emails[type eq \"work\" and primary eq true].value",
        "emails[value eq \"a@x.test\"].type", "emails[value eq \"jo@home.example\"].type", "emails[type eq \"work\"].display");

    private static readonly Gen<string> RemovePath = Gen.OneOfConst(
        "displayName", "nickName", "title", "name.givenName", "name.familyName", "name", "emails", "emails[type eq \"home\"]", "emails[type eq \"work\"].value",
        "emails[value eq \"a@x.test\"]", "emails[type eq \"work\" or type eq \"other\"]", "emails[type eq \"home\"].primary",
        Enterprise + ":department", Enterprise + ":manager", VeritasExtension + ":emailAliases", "phoneNumbers");

    private static readonly Gen<string> AddOrReplace = Gen.OneOfConst("add", "replace");

    /// <summary>One operation as the RFC spells it: its op name, path (null for none) and value (null for none).</summary>
    private static readonly Gen<(string Op, string? Path, JsonNode? Value)> OperationGen = Gen.OneOf(
        Gen.Select(AddOrReplace, SimplePath, Text).Select((op, path, value) => (op, (string?)path, (JsonNode?)value)),
        Gen.Select(AddOrReplace, Gen.OneOfConst("active", "emails[type eq \"home\"].primary", "emails[type eq \"work\"].primary"), Gen.Bool).Select((op, path, value) => (op, (string?)path, (JsonNode?)value)),
        Gen.Select(AddOrReplace, Text, Text).Select((op, given, family) => (op, (string?)"name", (JsonNode?)new JsonObject { ["givenName"] = given, ["familyName"] = family })),
        Gen.Select(AddOrReplace, EmailGen.Array[1, 2]).Select((op, emails) => (op, (string?)"emails", (JsonNode?)new JsonArray(emails))),
        Gen.Select(AddOrReplace, Gen.OneOfConst("1", "2").Array[1, 2]).Select((op, numbers) => (op, (string?)"phoneNumbers", (JsonNode?)new JsonArray([.. numbers.Distinct().Select(n => (JsonNode)new JsonObject { ["value"] = n, ["type"] = "work" })]))),
        Gen.Select(Gen.OneOfConst("emails[type eq \"work\"]", "emails[type eq \"home\"]"), Gen.OneOfConst("a@x.test", "c@x.test"), Gen.OneOfConst("work", "home"), Gen.Bool).Select((path, value, type, primary) => ("replace", (string?)path, (JsonNode?)new JsonObject { ["value"] = value, ["type"] = type, ["primary"] = primary })),
        Gen.Select(AddOrReplace, Gen.OneOfConst("m1", "m2")).Select((op, manager) => (op, (string?)(Enterprise + ":manager"), (JsonNode?)new JsonObject { ["value"] = manager })),
        Gen.Select(AddOrReplace, Gen.OneOfConst("a@x.test", "c@x.test").Array[1, 2]).Select((op, aliases) => (op, (string?)(VeritasExtension + ":emailAliases"), (JsonNode?)new JsonArray([.. aliases.Distinct().Select(a => (JsonNode)a)]))),
        Gen.Select(AddOrReplace, Text, Gen.Bool).Select((op, name, active) => (op, (string?)null, (JsonNode?)new JsonObject { ["displayName"] = name, ["active"] = active })),
        Gen.Select(AddOrReplace, Text, Text).Select((op, title, given) => (op, (string?)null, (JsonNode?)new JsonObject { ["title"] = title, ["name"] = new JsonObject { ["givenName"] = given } })),
        Gen.Select(AddOrReplace, Text).Select((op, department) => (op, (string?)null, (JsonNode?)new JsonObject { [Enterprise] = new JsonObject { ["department"] = department } })),
        Gen.Select(AddOrReplace, Text, Text).Select((op, given, department) => (op, (string?)null, (JsonNode?)new JsonObject { ["name.givenName"] = given, [Enterprise + ":department"] = department })),
        Gen.Select(AddOrReplace, Gen.OneOfConst("True", "False", "true", "false")).Select((op, active) => (op, (string?)"active", (JsonNode?)active)),
        RemovePath.Select(path => ("remove", (string?)path, (JsonNode?)null)));

    /// <summary>How a client spells an operation: op names and attribute names in any case, caseExact-false filter values in any case.</summary>
    private static readonly Gen<(bool UpperOp, bool UpperNames, bool UpperLiterals)> SpellingGen = Gen.Select(Gen.Bool, Gen.Bool, Gen.Bool);

    [Fact]
    public void The_interpreter_agrees_with_scim_patch()
    {
        var oracle = NpmPatchOracle.Require();
        var cases = Gen.Select(UserGen, Gen.Select(OperationGen, SpellingGen).Array[1, 3]).Array[Cases, Cases].Single();
        var inputs = cases.Select(c => (
            User: c.Item1,
            Operations: new JsonArray([.. c.Item2.Select(o => (JsonNode)Operation(o.Item1, o.Item2))]),
            AsSpelled: new JsonArray([.. c.Item2.Select(o => (JsonNode)Operation(o.Item1, (false, false, false)))]))).ToList();
        var answers = oracle.Apply([.. inputs.Select(c => (c.User, AsTheOracleReadsIt(c.AsSpelled)))]);
        var disagreements = new List<string>();
        var createdThroughAFilter = 0;
        for (var i = 0; i < inputs.Count; i++)
        {
            var (user, operations, _) = inputs[i];
            JsonObject? ours = null;
            string? refusal = null;
            try
            {
                var request = PatchRequest.Parse(new JsonObject { ["schemas"] = new JsonArray(PatchRequest.PatchOpSchema), ["Operations"] = operations.DeepClone() });
                ours = PatchInterpreter.Apply(user, request.Operations, UserSchemas.Resource).Resource;
            }
            catch (ScimException refused)
            {
                refusal = refused.ScimType + ": " + refused.Message;
            }

            if (ours is not null)
            {
                AssertSchemasListTheExtensionsPresent(ours);
                Assert.True(Primaries(ours) <= 1, "more than one primary e-mail: " + ours.ToJsonString());
            }

            var theirs = answers[i].Resource;
            if (ours is not null && theirs is null && answers[i].Error is { } error
                && (error.StartsWith("NoTarget", StringComparison.Ordinal) || error.StartsWith("FilterOnEmptyArray", StringComparison.Ordinal))
                && operations.Any(o => !string.Equals((string?)o!["op"], "remove", StringComparison.OrdinalIgnoreCase) && ((string?)o["path"])?.Contains('[', StringComparison.Ordinal) == true))
            {
                createdThroughAFilter++;
                continue;
            }

            if ((ours is null) != (theirs is null))
            {
                disagreements.Add(Disagreement(operations, user, ours is null ? "refused " + refusal : Canonical(ours), theirs is null ? "refused " + answers[i].Error : Canonical(theirs)));
                continue;
            }

            if (ours is null || theirs is null)
            {
                continue;
            }

            var foldEmails = cases[i].Item2.Any(o => o.Item2.UpperLiterals && o.Item1.Path?.Contains('"', StringComparison.Ordinal) == true);
            var (a, b) = (Comparable(ours, foldEmails), Comparable(theirs, foldEmails));
            if (a != b)
            {
                disagreements.Add(Disagreement(operations, user, a, b));
            }
        }

        foreach (var disagreement in disagreements.Take(25))
        {
            output.WriteLine(disagreement);
        }

        output.WriteLine($"{createdThroughAFilter} of {Cases} cases created a value through a filter that matched nothing (rule 11: counted, not compared)");
        Assert.True(createdThroughAFilter < Cases / 4, $"{createdThroughAFilter} of {Cases} cases were not compared");
        Assert.True(disagreements.Count == 0, $"{disagreements.Count} of {Cases} cases disagree (the first are in the test output)");
    }

    private static string Disagreement(JsonArray operations, JsonObject user, string ours, string theirs)
        => $"{operations.ToJsonString()}\n  on {Canonical(user)}\n  ours:   {ours}\n  theirs: {theirs}";

    private static JsonObject Operation((string Op, string? Path, JsonNode? Value) operation, (bool UpperOp, bool UpperNames, bool UpperLiterals) spelling)
    {
        var json = new JsonObject { ["op"] = spelling.UpperOp ? char.ToUpperInvariant(operation.Op[0]) + operation.Op[1..] : operation.Op };
        if (operation.Path is not null)
        {
            json["path"] = Spelled(operation.Path, spelling.UpperNames, spelling.UpperLiterals);
        }

        if (operation.Value is not null)
        {
            json["value"] = operation.Value.DeepClone();
        }

        return json;
    }

    /// <summary>The path with its attribute names (after any schema URN) capitalised, and its string literals upper-cased.</summary>
    private static string Spelled(string path, bool upperNames, bool upperLiterals)
    {
        var urn = path.StartsWith("urn:", StringComparison.Ordinal) ? path[..(path.LastIndexOf(':') + 1)] : string.Empty;
        var text = new System.Text.StringBuilder(urn);
        var quoted = false;
        var startOfName = true;
        foreach (var c in path[urn.Length..])
        {
            var spelled = c;
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (quoted)
            {
                spelled = upperLiterals ? char.ToUpperInvariant(c) : c;
            }
            else if (startOfName && char.IsLetter(c))
            {
                spelled = upperNames ? char.ToUpperInvariant(c) : c;
            }

            startOfName = !quoted && !char.IsLetterOrDigit(c);
            text.Append(spelled);
        }

        return text.ToString();
    }

    /// <summary>The operations as scim-patch is given them (rules 3, 4, 6, 7, 9 and 10; rule 8: the literals as the data spells them).</summary>
    private static JsonArray AsTheOracleReadsIt(JsonArray operations)
    {
        var read = new JsonArray();
        foreach (var operation in operations.Select(o => o!.AsObject()))
        {
            var op = (string)operation["op"]!;
            var path = (string?)operation["path"];
            if (op == "add" && path == VeritasExtension + ":emailAliases")
            {
                read.Add(new JsonObject { ["op"] = "replace", ["path"] = path, ["value"] = operation["value"]!.DeepClone() });
            }
            else if (path is null && operation["value"] is JsonObject value)
            {
                foreach (var (key, attribute) in value)
                {
                    if (key.StartsWith("urn:", StringComparison.Ordinal) && attribute is JsonObject extension)
                    {
                        foreach (var (name, sub) in extension)
                        {
                            read.Add(new JsonObject { ["op"] = op, ["path"] = key + ":" + name, ["value"] = sub?.DeepClone() });
                        }
                    }
                    else
                    {
                        read.Add(new JsonObject { ["op"] = op, ["path"] = key, ["value"] = attribute?.DeepClone() });
                    }
                }
            }
            else if (path == "active" && operation["value"] is JsonValue flag && flag.TryGetValue<string>(out var text))
            {
                read.Add(new JsonObject { ["op"] = op, ["path"] = path, ["value"] = bool.Parse(text) });
            }
            else if (op == "replace" && path?.EndsWith(']') == true && operation["value"] is JsonObject record)
            {
                foreach (var sub in EmailSubAttributes.Where(sub => !record.ContainsKey(sub)))
                {
                    read.Add(new JsonObject { ["op"] = "remove", ["path"] = path + "." + sub });
                }

                read.Add(operation.DeepClone());
            }
            else if (op == "add" && operation["value"] is JsonArray values)
            {
                var distinct = new List<JsonNode?>();
                foreach (var candidate in values.Where(candidate => !distinct.Any(seen => JsonNode.DeepEquals(seen, candidate))))
                {
                    distinct.Add(candidate);
                }

                read.Add(new JsonObject { ["op"] = op, ["path"] = path, ["value"] = new JsonArray([.. distinct.Select(v => v?.DeepClone())]) });
            }
            else
            {
                read.Add(operation.DeepClone());
            }
        }

        return read;
    }

    private static int Primaries(JsonObject user)
        => user["emails"] is JsonArray emails ? emails.Count(e => e is JsonObject { } email && email["primary"] is JsonValue flag && flag.GetValueKind() == System.Text.Json.JsonValueKind.True) : 0;

    private static void AssertSchemasListTheExtensionsPresent(JsonObject user)
    {
        var listed = user["schemas"]!.AsArray().Select(s => (string)s!).Where(s => s != UserSchemas.CoreSchemaId).Order(StringComparer.Ordinal);
        var present = user.Where(p => p.Key.StartsWith("urn:", StringComparison.Ordinal)).Select(p => p.Key).Order(StringComparer.Ordinal);
        Assert.Equal(present, listed);
    }

    /// <summary>A resource as the two are compared (rules 1, 2 and 8).</summary>
    private static string Comparable(JsonObject user, bool foldEmails)
    {
        var copy = user.DeepClone().AsObject();
        copy.Remove("schemas");
        foreach (var key in copy.Where(p => p.Value is JsonObject { Count: 0 }).Select(p => p.Key).ToList())
        {
            copy.Remove(key);
        }

        foreach (var email in (copy["emails"] as JsonArray ?? []).OfType<JsonObject>())
        {
            foreach (var name in (string[])["type", "value"])
            {
                if (foldEmails && email[name] is JsonValue text && text.TryGetValue<string>(out var spelled))
                {
                    email[name] = spelled.ToLowerInvariant();
                }
            }
        }

        // Identical values that differ only in primary cannot be told apart by the oracle (rule 1): their order is not compared.
        if (copy["emails"] is JsonArray list && list.Count != list.Select(e => WithoutPrimary(e)).Distinct(StringComparer.Ordinal).Count())
        {
            copy["emails"] = new JsonArray([.. list.Select(e => e!.DeepClone()).OrderBy(e => Canonical(e!), StringComparer.Ordinal)]);
        }

        return Canonical(copy);
    }

    private static string WithoutPrimary(JsonNode? email)
    {
        var copy = email!.DeepClone().AsObject();
        copy.Remove("primary");
        return Canonical(copy);
    }

    private static string Canonical(JsonNode node) => Sorted(node)!.ToJsonString();

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Sorted)]),
        _ => node?.DeepClone(),
    };
}
