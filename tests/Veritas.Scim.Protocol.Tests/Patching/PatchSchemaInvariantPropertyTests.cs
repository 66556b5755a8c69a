using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Veritas.Scim.Protocol.Errors;
using Veritas.Scim.Protocol.Patching;
using Veritas.Scim.Protocol.Resources;
using Veritas.Scim.Protocol.Schemas;
using static Veritas.Scim.Protocol.Tests.Patching.PatchTestSupport;

namespace Veritas.Scim.Protocol.Tests.Patching;

/// <summary>
/// For every attribute, sub-attribute, value-filtered path and schema URN that the User schemas
/// define, and for every op, random PATCHes of random users: each either is a 400 or changes
/// exactly what it names, invents no key and leaves a resource that is valid against the schema.
/// The targets are read from the schema model, so an attribute added to it is covered at once.
/// </summary>
public sealed class PatchSchemaInvariantPropertyTests
{
    /// <summary>Cases tried per (target, op); the report of issue 8 quotes the total.</summary>
    internal const int CasesPerTarget = 40;

    private static readonly ScimResourceSchema Schema = UserSchemas.Resource;

    /// <summary>What a PATCH path names, resolved from the schema model (not from the path text).</summary>
    internal sealed record Target(string Path, ScimSchema Schema, ScimAttributeDefinition? Attribute, ScimAttributeDefinition? Sub, string? FilterType)
    {
        public bool WholeSchema => Attribute is null;

        public bool IsExtension => !ReferenceEquals(Schema, UserSchemas.Core);

        public bool ReadOnly => Attribute?.Mutability == ScimMutability.ReadOnly || Sub?.Mutability == ScimMutability.ReadOnly;

        public override string ToString() => Path;
    }

    internal static IEnumerable<Target> AllTargets()
    {
        foreach (var schema in Schema.AllSchemas)
        {
            yield return new Target(schema.Id, schema, null, null, null);
            foreach (var attribute in schema.Attributes)
            {
                var path = ReferenceEquals(schema, Schema.Core) ? attribute.Name : schema.Id + ":" + attribute.Name;
                yield return new Target(path, schema, attribute, null, null);
                foreach (var sub in attribute.SubAttributes)
                {
                    yield return new Target(path + "." + sub.Name, schema, attribute, sub, null);
                }

                if (attribute.MultiValued && attribute.FindSubAttribute("type") is { CanonicalValues.Count: > 0 } type)
                {
                    var filter = $"[type eq \"{type.CanonicalValues[0]}\"]";
                    yield return new Target(path + filter, schema, attribute, null, type.CanonicalValues[0]);
                    if (attribute.FindSubAttribute("value") is { } value)
                    {
                        yield return new Target(path + filter + ".value", schema, attribute, value, type.CanonicalValues[0]);
                    }
                }
            }
        }
    }

    public static TheoryData<string, PatchOperationKind> TargetsAndOps()
    {
        var data = new TheoryData<string, PatchOperationKind>();
        foreach (var target in AllTargets())
        {
            foreach (var kind in Enum.GetValues<PatchOperationKind>())
            {
                data.Add(target.Path, kind);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TargetsAndOps))]
    public void Every_patch_either_is_a_400_or_changes_exactly_what_it_names(string path, PatchOperationKind kind)
    {
        var target = AllTargets().Single(t => t.Path == path);
        var valueGen = kind == PatchOperationKind.Remove ? Gen.Const((JsonNode?)null) : ValueFor(target);
        var succeeded = 0;
        Gen.Select(UserGen, valueGen).Sample(
            (user, value) =>
            {
                PatchResult result;
                try
                {
                    result = Apply(user, new PatchOperation(kind, path, value?.DeepClone()));
                }
                catch (ScimException error)
                {
                    Assert.Equal(400, error.Status);
                    return;
                }

                Interlocked.Increment(ref succeeded);
                AssertInvariants(user, result, target, kind, value);
            },
            iter: CasesPerTarget,
            threads: 1);

        // The class must not pass by refusing everything: what must be refused is removal of
        // read-only targets, of what must stay assigned and of the core schema.
        var mustRefuse = kind == PatchOperationKind.Remove
            && (target.ReadOnly
                || target is { Sub: null, FilterType: null, Attribute.MustStayAssigned: true }
                || target is { WholeSchema: true, IsExtension: false });
        if (mustRefuse)
        {
            Assert.True(succeeded == 0, $"{kind} {path} succeeded {succeeded} times");
        }
        else if (!target.ReadOnly)
        {
            Assert.True(succeeded > 0, $"{kind} {path} never succeeded");
        }
    }

    [Fact]
    public void Every_attribute_of_every_schema_is_a_target()
    {
        var targets = AllTargets().ToList();
        foreach (var schema in Schema.AllSchemas)
        {
            Assert.Contains(targets, t => t.WholeSchema && t.Schema == schema);
            Assert.All(schema.Attributes, a => Assert.Contains(targets, t => t.Attribute == a && t.Sub is null && t.FilterType is null));
        }

        Assert.True(targets.Count > 90, $"{targets.Count} targets");
    }

    private static void AssertInvariants(JsonObject before, PatchResult result, Target target, PatchOperationKind kind, JsonNode? value)
    {
        var after = result.Resource;
        Assert.Equal(!JsonNode.DeepEquals(before, after), result.Changed);

        // Refusals the interpreter owes (RFC 7644 §3.5.2.2, RFC 7643 §2.2).
        if (kind == PatchOperationKind.Remove)
        {
            Assert.False(target.ReadOnly, $"removing read-only {target} succeeded");
            Assert.False(target.WholeSchema && !target.IsExtension, "removing the core schema succeeded");
            if (target is { Sub: null, FilterType: null, Attribute.MustStayAssigned: true })
            {
                Assert.Null(Container(before, target)?[target.Attribute.Name]);
            }
        }
        else if (target.ReadOnly)
        {
            Assert.False(result.Changed, $"{kind} of read-only {target} changed the resource");
        }

        AssertValidAgainstSchema(after);
        AssertNoInventedKeys(before, after);

        // It changes exactly what it names: everything else is as it was.
        var names = target is { WholeSchema: true, IsExtension: false } ? ((JsonObject)value!).Select(p => p.Key).ToList() : null;
        Assert.True(
            JsonNode.DeepEquals(Strip(before, target, names), Strip(after, target, names)),
            $"{kind} {target.Path} {value?.ToJsonString()} changed more than it names:\n{before.ToJsonString()}\n{after.ToJsonString()}");

        AssertNamedHolds(after, target, kind, value);
    }

    /// <summary>What the operation named is as asked afterwards.</summary>
    private static void AssertNamedHolds(JsonObject after, Target target, PatchOperationKind kind, JsonNode? value)
    {
        var container = Container(after, target);
        if (target.WholeSchema)
        {
            if (target.IsExtension && kind == PatchOperationKind.Remove)
            {
                Assert.False(after.ContainsKey(target.Schema.Id));
                return;
            }

            foreach (var (name, attributeValue) in (JsonObject)value!)
            {
                var attribute = target.Schema.FindAttribute(name)!;
                AssertHolds(container?[attribute.Name], attribute, attributeValue!, kind == PatchOperationKind.Add);
            }

            if (target.IsExtension && kind == PatchOperationKind.Replace)
            {
                Assert.Equal(((JsonObject)value).Count, container?.Count ?? 0);
            }

            return;
        }

        var attributeNode = container?[target.Attribute!.Name];
        var elements = attributeNode switch
        {
            JsonArray array => array.OfType<JsonObject>().ToList(),
            JsonObject single => [single],
            _ => [],
        };
        if (target.FilterType is { } type)
        {
            var matching = elements.Where(e => string.Equals((string?)e["type"], type, StringComparison.OrdinalIgnoreCase)).ToList();
            if (kind == PatchOperationKind.Remove)
            {
                if (target.Sub is null)
                {
                    Assert.Empty(matching);
                }
                else
                {
                    Assert.All(matching, m => Assert.False(m.ContainsKey(target.Sub.Name)));
                }

                return;
            }

            Assert.NotEmpty(matching);
            if (target.Sub is { } filteredSub)
            {
                Assert.Contains(matching, m => JsonNode.DeepEquals(m[filteredSub.Name], ResourceCanonicalizer.CanonicalizeValue(value, filteredSub)));
            }
            else
            {
                var element = (JsonObject)ResourceCanonicalizer.CanonicalizeValue(value, target.Attribute!)!.AsArray()[0]!;
                Assert.Contains(matching, m => element.All(p => p.Key == "primary" || JsonNode.DeepEquals(m[p.Key], p.Value)));
            }

            return;
        }

        if (target.Sub is { } sub)
        {
            if (kind == PatchOperationKind.Remove)
            {
                Assert.All(elements, e => Assert.False(e.ContainsKey(sub.Name)));
                return;
            }

            Assert.NotEmpty(elements);
            var expected = ResourceCanonicalizer.CanonicalizeValue(value, sub);
            Assert.All(elements, e => Assert.True(JsonNode.DeepEquals(expected, e[sub.Name]), $"{target}: {e.ToJsonString()}"));
            return;
        }

        if (kind == PatchOperationKind.Remove)
        {
            Assert.Null(attributeNode);
            return;
        }

        AssertHolds(attributeNode, target.Attribute!, value!, kind == PatchOperationKind.Add);
    }

    /// <summary>The attribute holds the value: equal, merged for complex, appended for multi-valued add.</summary>
    private static void AssertHolds(JsonNode? actual, ScimAttributeDefinition attribute, JsonNode value, bool add)
    {
        var expected = ResourceCanonicalizer.CanonicalizeValue(value, attribute);
        if (attribute.MultiValued && !attribute.PreserveRawValue)
        {
            var actualElements = actual!.AsArray().Select(WithoutPrimary).ToList();
            var expectedElements = expected!.AsArray().Select(WithoutPrimary).ToList();
            Assert.All(expectedElements, e => Assert.Contains(actualElements, a => JsonNode.DeepEquals(a, e)));
            if (!add)
            {
                Assert.Equal(expectedElements.Count, actualElements.Count);
            }
        }
        else if (attribute.Type == ScimAttributeType.Complex && expected is JsonObject subAttributes)
        {
            Assert.All(subAttributes, p => Assert.True(JsonNode.DeepEquals(p.Value, actual?[p.Key]), $"{attribute.Name}.{p.Key}"));
        }
        else
        {
            Assert.True(JsonNode.DeepEquals(expected, actual), $"{attribute.Name}: {expected?.ToJsonString()} vs {actual?.ToJsonString()}");
        }
    }

    private static JsonObject WithoutSchemas(JsonObject resource)
    {
        var copy = resource.DeepClone().AsObject();
        copy.Remove("schemas");
        return copy;
    }

    private static JsonNode? WithoutPrimary(JsonNode? element)
    {
        var copy = element?.DeepClone();
        (copy as JsonObject)?.Remove("primary");
        return copy;
    }

    /// <summary>
    /// Valid against the schema: canonicalising it changes nothing (names canonical, values of the
    /// right type), <c>schemas</c> lists exactly the schemas present, at most one primary value.
    /// </summary>
    private static void AssertValidAgainstSchema(JsonObject resource)
    {
        var canonical = ResourceCanonicalizer.CanonicalizeResource(resource, Schema);
        Assert.True(JsonNode.DeepEquals(WithoutSchemas(resource), WithoutSchemas(canonical)), resource.ToJsonString());
        var listed = resource["schemas"]!.AsArray().Select(s => (string)s!).ToHashSet();
        var present = Schema.Extensions.Where(e => resource.ContainsKey(e.Id)).Select(e => e.Id).Append(Schema.Core.Id).ToHashSet();
        Assert.True(listed.SetEquals(present), resource.ToJsonString());
        foreach (var values in resource.Select(p => p.Value).Concat(Schema.Extensions.SelectMany(e => (resource[e.Id] as JsonObject)?.Select(p => p.Value) ?? [])).OfType<JsonArray>())
        {
            Assert.True(values.Count(v => v is JsonObject o && o["primary"] is JsonValue p && p.GetValueKind() == JsonValueKind.True) <= 1, values.ToJsonString());
        }
    }

    /// <summary>Every member name afterwards is one the schema defines or one the resource had.</summary>
    private static void AssertNoInventedKeys(JsonObject before, JsonObject after)
    {
        var known = MemberPaths(before).ToHashSet();
        foreach (var memberPath in MemberPaths(after))
        {
            Assert.True(known.Contains(memberPath) || IsDefined(memberPath), $"invented key {memberPath}");
        }
    }

    private static IEnumerable<string> MemberPaths(JsonNode? node, string prefix = "")
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    var memberPath = prefix.Length == 0 ? key : prefix + "/" + key;
                    yield return memberPath;
                    foreach (var inner in MemberPaths(value, memberPath))
                    {
                        yield return inner;
                    }
                }

                break;
            case JsonArray array:
                foreach (var inner in array.SelectMany(item => MemberPaths(item, prefix)))
                {
                    yield return inner;
                }

                break;
        }
    }

    private static bool IsDefined(string memberPath)
    {
        var parts = memberPath.Split('/');
        var schema = Schema.Core;
        if (Schema.Extensions.FirstOrDefault(e => e.Id == parts[0]) is { } extension)
        {
            if (parts.Length == 1)
            {
                return true;
            }

            schema = extension;
            parts = parts[1..];
        }

        if (parts[0] == "schemas")
        {
            return parts.Length == 1;
        }

        var attribute = schema.Attributes.FirstOrDefault(a => a.Name == parts[0]);
        return attribute is not null && (parts.Length == 1 || (parts.Length == 2 && attribute.SubAttributes.Any(s => s.Name == parts[1])) || attribute.PreserveRawValue);
    }

    /// <summary>The resource without what the target names (and without <c>schemas</c>, checked on its own).</summary>
    private static JsonObject Strip(JsonObject resource, Target target, IReadOnlyList<string>? coreNames)
    {
        var copy = WithoutSchemas(resource);
        if (target.WholeSchema)
        {
            if (target.IsExtension)
            {
                copy.Remove(target.Schema.Id);
            }
            else
            {
                foreach (var name in coreNames!)
                {
                    copy.Remove(Schema.Core.FindAttribute(name)!.Name);
                }
            }

            return copy;
        }

        var container = Container(copy, target);
        if (container is null)
        {
            return copy;
        }

        var key = target.Attribute!.Name;
        if (target.Sub is null || target.FilterType is not null)
        {
            container.Remove(key);
        }
        else
        {
            var elements = container[key] switch
            {
                JsonArray array => array.OfType<JsonObject>().ToList(),
                JsonObject single => [single],
                _ => [],
            };
            elements.ForEach(e => e.Remove(target.Sub.Name));
            if (container[key] is JsonArray values)
            {
                foreach (var empty in values.Where(v => v is JsonObject { Count: 0 }).ToList())
                {
                    values.Remove(empty);
                }
            }

            if (container[key] is JsonArray { Count: 0 } or JsonObject { Count: 0 })
            {
                container.Remove(key);
            }
        }

        if (target.IsExtension && container.Count == 0)
        {
            copy.Remove(target.Schema.Id);
        }

        return copy;
    }

    private static JsonObject? Container(JsonObject resource, Target target) =>
        target.IsExtension ? resource[target.Schema.Id] as JsonObject : resource;

    /// <summary>Starting users as the store hands them over: the sample, varied.</summary>
    private static readonly Gen<JsonObject> UserGen = Gen.Bool.Array[9].Select(flags =>
    {
        var user = User();
        if (flags[0])
        {
            user.Remove("name");
        }

        if (flags[1])
        {
            user.Remove("emails");
        }

        if (flags[2])
        {
            user.Remove(Enterprise);
            user["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User");
        }
        else if (flags[3])
        {
            user[Enterprise]!["manager"] = new JsonObject { ["value"] = "26118915-6090-4610-87e4-49d8ca9f808d", ["displayName"] = "John Smith" };
        }

        if (flags[4])
        {
            user[VeritasExtension] = new JsonObject { ["emailAliases"] = "smtp:jo@contoso.com" };
            user["schemas"]!.AsArray().Add(VeritasExtension);
        }

        if (flags[5])
        {
            user["addresses"] = Json("""[{"type":"work","locality":"Leeds","primary":true},{"type":"home","country":"GB"}]""");
        }

        if (flags[6])
        {
            user["phoneNumbers"] = Json("""[{"value":"+44 1","type":"work"}]""");
        }

        if (flags[7])
        {
            user["groups"] = Json("""[{"value":"g1","display":"Sales","type":"direct"}]""");
        }

        if (flags[8])
        {
            user["nickName"] = "Jo";
            user["active"] = false;
        }

        return user;
    });

    /// <summary>A valid value for what the target names, in the shapes clients send.</summary>
    private static Gen<JsonNode?> ValueFor(Target target)
    {
        if (target.WholeSchema)
        {
            var writable = target.Schema.Attributes.Where(a => a.Mutability != ScimMutability.ReadOnly).ToArray();
            return ObjectOf(writable, min: 1);
        }

        if (target.Sub is { } sub)
        {
            return Single(sub);
        }

        var attribute = target.Attribute!;
        if (target.FilterType is not null)
        {
            // The value of a filtered path is one element, without the sub-attribute the filter selects on.
            return ObjectOf([.. attribute.SubAttributes.Where(s => s.Name != "type" && s.Mutability != ScimMutability.ReadOnly)], min: 1);
        }

        return attribute.MultiValued && !attribute.PreserveRawValue
            ? Single(attribute).Array[1, 3].Select(items => (JsonNode?)new JsonArray([.. items.Select(i => i?.DeepClone())]))
            : Single(attribute);
    }

    private static Gen<JsonNode?> ObjectOf(ScimAttributeDefinition[] attributes, int min) =>
        Gen.Shuffle(attributes).SelectMany(shuffled => Gen.Int[min, Math.Max(min, Math.Min(4, shuffled.Length))].SelectMany(count =>
            ValuesFor(shuffled.Take(count).ToArray()).Select(values =>
            {
                var result = new JsonObject();
                for (var i = 0; i < values.Length; i++)
                {
                    result[shuffled[i].Name] = values[i];
                }

                return (JsonNode?)result;
            })));

    private static Gen<JsonNode?[]> ValuesFor(ScimAttributeDefinition[] attributes) =>
        attributes.Aggregate(
            Gen.Const(Array.Empty<JsonNode?>()),
            (acc, attribute) => acc.SelectMany(values => (attribute.MultiValued && !attribute.PreserveRawValue
                    ? Single(attribute).Array[1, 2].Select(items => (JsonNode?)new JsonArray([.. items]))
                    : Single(attribute))
                .Select(value => (JsonNode?[])[.. values, value])));

    /// <summary>One value of the attribute's type; strings for booleans as Entra sends them.</summary>
    private static Gen<JsonNode?> Single(ScimAttributeDefinition attribute) => attribute.Type switch
    {
        ScimAttributeType.Boolean => Gen.OneOf(Gen.Bool.Select(b => (JsonNode?)JsonValue.Create(b)), Gen.OneOfConst("True", "false").Select(s => (JsonNode?)JsonValue.Create(s))),
        ScimAttributeType.DateTime => Gen.Int[1, 28].Select(d => (JsonNode?)JsonValue.Create($"2026-02-{d:00}T08:00:00Z")),
        ScimAttributeType.Reference => Gen.String[Gen.Char.AlphaNumeric, 1, 8].Select(s => (JsonNode?)JsonValue.Create("https://example.com/" + s)),
        ScimAttributeType.Binary => Gen.Byte.Array[1, 6].Select(b => (JsonNode?)JsonValue.Create(Convert.ToBase64String(b))),
        ScimAttributeType.Complex => ObjectOf([.. attribute.SubAttributes.Where(s => s.Mutability != ScimMutability.ReadOnly)], min: 1),
        _ when attribute.CanonicalValues.Count > 0 => Gen.OneOfConst([.. attribute.CanonicalValues]).Select(s => (JsonNode?)JsonValue.Create(s)),
        _ => Gen.String[Gen.Char.AlphaNumeric, 1, 10].Select(s => (JsonNode?)JsonValue.Create(s)),
    };
}
