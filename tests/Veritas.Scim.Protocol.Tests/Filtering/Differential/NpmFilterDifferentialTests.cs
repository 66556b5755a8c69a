using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using Veritas.Scim.Protocol.Errors;
using Veritas.Scim.Protocol.Filtering;
using Veritas.Scim.Protocol.Schemas;

namespace Veritas.Scim.Protocol.Tests.Filtering.Differential;

/// <summary>
/// The evaluator against an independent SCIM filter implementation, npm's <c>scim2-parse-filter</c>
/// (schema-less: it knows no attribute types or caseExact), over generated users and filters of
/// the RFC grammar. Where the two read RFC 7644 differently the input is normalised by one of the
/// rules below, each with the RFC section that decides it (and an example proving the rule is
/// still needed); after that every answer must agree.
/// </summary>
/// <remarks>
/// The documented differences, applied to what scim2-parse-filter sees:
/// <list type="number">
/// <item>caseExact (RFC 7643 §2.4, RFC 7644 §3.4.2.2 "caseExact"): it compares strings
/// case-sensitively always; attributes with caseExact false (all but id, externalId and meta) are
/// lower-cased in the user and in the filter's values.</item>
/// <item><c>ne</c> (RFC 7644 §3.4.2.2): it answers false for an absent attribute and "some value
/// differs" for a multi-valued one; the gateway reads <c>ne</c> as the negation of <c>eq</c>, so it
/// gets <c>not (a eq v)</c>.</item>
/// <item>null (RFC 7643 §2.5: null is unassigned): <c>a eq null</c> is <c>not (a pr)</c>,
/// <c>a ne null</c> is <c>a pr</c>.</item>
/// <item>A multi-valued complex attribute named alone (RFC 7644 §3.4.2.2's own example
/// <c>emails co "example.com"</c>) compares its <c>value</c>: it gets <c>emails.value</c>.</item>
/// <item>The core schema's URN as a prefix (RFC 7644 §3.10) names a core attribute: it splits
/// the path at the last colon and finds nothing, so it gets the short name.</item>
/// <item>Unassigned values (RFC 7643 §2.5: null, "" and [] are the same state; §3.4.2.2
/// <c>pr</c> needs a non-empty value): users are generated without them, for both.</item>
/// <item>Ill-typed comparisons (RFC 7644 §3.4.2.2: gt/ge/lt/le on booleans "SHALL cause a failed
/// response", §3.12 invalidFilter): the gateway refuses them with 400; scim2-parse-filter has no
/// types and answers, so these cases are counted, not compared.</item>
/// <item>dateTime (RFC 7643 §2.3.5) compares as instants; it compares strings, which agree only
/// in one canonical form: timestamps are generated as yyyy-MM-ddTHH:mm:ssZ.</item>
/// <item>A value filter applies to one value at a time (RFC 7644 §3.4.2.2: "expressions MUST be
/// applied to the same value of a parent attribute"); it tests each comparison in brackets
/// against the whole list, so <c>emails[type eq "work" and value co "x"]</c> matches when one
/// e-mail is work and another contains x, and <c>emails[not (value eq "x")]</c> as "no e-mail is
/// x". Brackets holding more than one comparison, or a <c>not</c> (also the one rules 2 and 3
/// write for <c>ne</c> and <c>eq null</c>), are compared on users with at most one e-mail.</item>
/// <item>A number compared with a string attribute: the gateway compares its text, as Entra
/// sends values unquoted (DESIGN.md §5); it gets the number as a string.</item>
/// <item>A multi-valued attribute of plain strings (emailAliases) matches when any value does
/// (RFC 7644 §3.4.2.2); it compares the list itself, so it gets the list as <c>{"value": …}</c>
/// objects and the path with <c>.value</c>.</item>
/// </list>
/// </remarks>
public sealed class NpmFilterDifferentialTests
{
    private const int Cases = 600;

    private static ScimResourceSchema Schema => UserSchemas.Resource;

    [Fact]
    public void The_evaluator_agrees_with_scim2_parse_filter_on_generated_users_and_filters()
    {
        var oracle = NpmFilterOracle.Require();
        var cases = Gen.Select(DifferentialGenerators.Filter(3), DifferentialGenerators.User.Array[6, 6])
            .Array[Cases, Cases].Single();

        var ours = cases.Select(c => Evaluate(c.Item1, c.Item2)).ToList();
        var compared = Enumerable.Range(0, cases.Length).Where(i => ours[i] is not null).ToList();
        var theirs = oracle.Evaluate([.. compared.Select(i => (ForNpm(cases[i].Item1), cases[i].Item2.Select(ForNpm).ToArray()))]);

        var disagreements = new StringBuilder();
        var matches = 0;
        for (var k = 0; k < compared.Count; k++)
        {
            var (filter, users) = cases[compared[k]];
            var answer = theirs[k];
            if (answer.Error is not null)
            {
                disagreements.AppendLine(CultureInfo.InvariantCulture, $"scim2-parse-filter cannot parse {ForNpm(filter)} ({answer.Error}), the gateway can: {FilterPrinter.Print(filter)}");
                continue;
            }

            for (var u = 0; u < users.Length; u++)
            {
                if (HasCompoundValueFilter(filter) && users[u]["emails"] is JsonArray { Count: > 1 })
                {
                    continue;
                }

                var expected = ours[compared[k]]![u];
                matches += expected ? 1 : 0;
                if (expected != answer.Matches![u])
                {
                    disagreements.AppendLine(CultureInfo.InvariantCulture, $"{FilterPrinter.Print(filter)} (npm: {ForNpm(filter)}) on {users[u].ToJsonString()}: gateway {expected}, scim2-parse-filter {answer.Matches[u]}");
                }
            }
        }

        Assert.True(disagreements.Length == 0, disagreements.ToString());

        // Rule 7 must not swallow the comparison: most cases compare, and some match.
        Assert.InRange(compared.Count, Cases / 2, Cases - (Cases / 50));
        Assert.InRange(matches, compared.Count / 2, compared.Count * 5);
    }

    /// <summary>Each documented rule is still needed: without it, the two answer differently.</summary>
    private static readonly (string Filter, string User, string Rule)[] DocumentedDifferences =
    [
        ("userName eq \"BJENSEN\"", """{"userName":"bjensen"}""", "1 caseExact"),
        ("title ne \"Boss\"", """{"userName":"x"}""", "2 ne"),
        ("emails.value ne \"a@x.com\"", """{"emails":[{"value":"a@x.com"},{"value":"b@x.com"}]}""", "2 ne"),
        ("title eq null", """{"userName":"x"}""", "3 null"),
        ("emails co \"x.com\"", """{"emails":[{"value":"a@x.com"}]}""", "4 complex alone"),
        ("urn:ietf:params:scim:schemas:core:2.0:User:userName eq \"x\"", """{"userName":"x"}""", "5 core URN"),
        ("title pr", """{"title":""}""", "6 unassigned"),
        ("meta.created gt \"2026-01-01T01:00:00+02:00\"", """{"meta":{"created":"2026-01-01T00:00:00Z"}}""", "8 dateTime"),
        ("emails[type eq \"work\" and value co \"x\"]", """{"emails":[{"value":"a@y.com","type":"work"},{"value":"b@x.com","type":"home"}]}""", "9 value filter per value"),
        ("emails[not (value eq \"a@x.com\")]", """{"emails":[{"value":"a@x.com"},{"value":"b@x.com"}]}""", "9 not in a value filter, per value"),
        ("title gt 42", """{"title":"archivist"}""", "10 number as text"),
        ("urn:ietf:params:scim:schemas:extension:veritas:2.0:User:emailAliases co \"b\"", """{"urn:ietf:params:scim:schemas:extension:veritas:2.0:User":{"emailAliases":["a@x.com","b@x.com"]}}""", "11 list of strings"),
    ];

    [Fact]
    public void Each_documented_difference_is_real()
    {
        var oracle = NpmFilterOracle.Require();
        var documents = DocumentedDifferences.Select(d => (JsonObject)JsonNode.Parse(d.User)!).ToArray();

        var theirs = oracle.Evaluate([.. DocumentedDifferences.Select((d, i) => (d.Filter, new[] { documents[i] }))]);

        for (var i = 0; i < DocumentedDifferences.Length; i++)
        {
            var ours = FilterEvaluator.Matches(FilterParser.Parse(DocumentedDifferences[i].Filter), documents[i], Schema);
            Assert.True(theirs[i].Error is not null || theirs[i].Matches![0] != ours, $"Rule {DocumentedDifferences[i].Rule} is no longer needed: both answer {ours}.");
        }
    }

    [Fact]
    public void Rule_7_ill_typed_comparisons_are_refused_where_scim2_parse_filter_answers()
    {
        string[] filters = ["active gt true", "active eq \"yes\"", "meta.lastModified lt \"T\"", "userName sw true"];
        var oracle = NpmFilterOracle.Require();
        var document = (JsonObject)JsonNode.Parse("""{"userName":"x","active":true,"meta":{"lastModified":"2026-01-01T00:00:00Z"}}""")!;

        var theirs = oracle.Evaluate([.. filters.Select(f => (f, new[] { document }))]);

        for (var i = 0; i < filters.Length; i++)
        {
            Assert.Null(Evaluate(FilterParser.Parse(filters[i]), [document]));
            Assert.Null(theirs[i].Error);
        }
    }

    /// <summary>The evaluator's answers per user, or null when it refuses the filter (rule 7).</summary>
    private static bool[]? Evaluate(Filter filter, JsonObject[] users)
    {
        try
        {
            FilterEvaluator.Validate(filter, Schema);
            return [.. users.Select(u => FilterEvaluator.Matches(filter, u, Schema))];
        }
        catch (ScimException error) when (error.ScimType == ScimErrorType.InvalidFilter)
        {
            return null;
        }
    }

    /// <summary>Rule 9: brackets with more than one comparison, or a not.</summary>
    private static bool HasCompoundValueFilter(Filter filter) => filter switch
    {
        AndFilter and => HasCompoundValueFilter(and.Left) || HasCompoundValueFilter(and.Right),
        OrFilter or => HasCompoundValueFilter(or.Left) || HasCompoundValueFilter(or.Right),
        NotFilter not => HasCompoundValueFilter(not.Operand),
        // Rules 2 and 3 write ne and eq null as a not, which it applies to the whole list as well.
        ValuePathFilter valuePath => valuePath.ValueFilter is not (ComparisonFilter or PresentFilter)
            or ComparisonFilter { Operator: ComparisonOperator.NotEqual }
            or ComparisonFilter { Operator: ComparisonOperator.Equal, Value.Kind: FilterLiteralKind.Null },
        _ => false,
    };

    /// <summary>Rules 1–5, 10 and 11 applied to the filter scim2-parse-filter evaluates.</summary>
    private static string ForNpm(Filter filter) => FilterPrinter.Print(Normalise(filter, insideValuePath: false));

    private static Filter Normalise(Filter filter, bool insideValuePath) => filter switch
    {
        AndFilter and => new AndFilter(Normalise(and.Left, insideValuePath), Normalise(and.Right, insideValuePath)),
        OrFilter or => new OrFilter(Normalise(or.Left, insideValuePath), Normalise(or.Right, insideValuePath)),
        NotFilter not => new NotFilter(Normalise(not.Operand, insideValuePath)),
        PresentFilter present => new PresentFilter(NormalisePath(present.Path, insideValuePath)),
        ValuePathFilter valuePath => new ValuePathFilter(WithoutCoreUrn(valuePath.Path), Normalise(valuePath.ValueFilter, insideValuePath: true)),
        ComparisonFilter { Value.Kind: FilterLiteralKind.Null } c => c.Operator == ComparisonOperator.Equal
            ? new NotFilter(new PresentFilter(NormalisePath(c.Path, insideValuePath)))
            : new PresentFilter(NormalisePath(c.Path, insideValuePath)),
        ComparisonFilter { Operator: ComparisonOperator.NotEqual } c => new NotFilter(Normalise(c with { Operator = ComparisonOperator.Equal }, insideValuePath)),
        ComparisonFilter { Value.Kind: FilterLiteralKind.Number } c when IsString(c.Path, insideValuePath) => Normalise(c with { Value = FilterLiteral.FromString(c.Value.Value!) }, insideValuePath),
        ComparisonFilter c => new ComparisonFilter(
            NormalisePath(c.Path, insideValuePath),
            c.Operator,
            c.Value.Kind == FilterLiteralKind.Text && !IsCaseExact(c.Path, insideValuePath) ? FilterLiteral.FromString(c.Value.Value!.ToLowerInvariant()) : c.Value),
        _ => filter,
    };

    private static AttributePath NormalisePath(AttributePath path, bool insideValuePath)
    {
        if (insideValuePath)
        {
            return path;
        }

        path = WithoutCoreUrn(path);
        if (IsEmailAliases(path))
        {
            return path with { SubAttribute = "value" };
        }

        return path is { SubAttribute: null } && Schema.Resolve(path) is { Attribute: { Type: ScimAttributeType.Complex, MultiValued: true } }
            ? path with { SubAttribute = "value" }
            : path;
    }

    private static bool IsEmailAliases(AttributePath path) => string.Equals(path.Name, UserSchemas.EmailAliases, StringComparison.OrdinalIgnoreCase);

    private static bool IsString(AttributePath path, bool insideValuePath) =>
        insideValuePath
            ? string.Equals(path.Name, "value", StringComparison.OrdinalIgnoreCase) || string.Equals(path.Name, "type", StringComparison.OrdinalIgnoreCase)
            : (Schema.Resolve(path) ?? Schema.Resolve(path with { SchemaUrn = UserSchemas.EnterpriseSchemaId })) is not { } resolved
              || (resolved.SubAttribute ?? resolved.Attribute) is { Type: ScimAttributeType.String or ScimAttributeType.Complex };

    private static AttributePath WithoutCoreUrn(AttributePath path) =>
        path.SchemaUrn is { } urn && string.Equals(urn, UserSchemas.CoreSchemaId, StringComparison.OrdinalIgnoreCase) ? path with { SchemaUrn = null } : path;

    private static bool IsCaseExact(AttributePath path, bool insideValuePath) =>
        !insideValuePath
        && (path.SchemaUrn is null || string.Equals(path.SchemaUrn, UserSchemas.CoreSchemaId, StringComparison.OrdinalIgnoreCase))
        && (string.Equals(path.Name, "id", StringComparison.OrdinalIgnoreCase) || string.Equals(path.Name, "externalId", StringComparison.OrdinalIgnoreCase) || string.Equals(path.Name, "meta", StringComparison.OrdinalIgnoreCase));

    /// <summary>Rules 1 and 11 applied to a user: strings of attributes that are not caseExact lower-cased, aliases as objects.</summary>
    private static JsonObject ForNpm(JsonObject user)
    {
        var copy = (JsonObject)user.DeepClone();
        if (copy[UserSchemas.VeritasSchemaId]?[UserSchemas.EmailAliases] is JsonArray aliases)
        {
            copy[UserSchemas.VeritasSchemaId]![UserSchemas.EmailAliases] = new JsonArray([.. aliases.Select(a => (JsonNode)new JsonObject { ["value"] = a!.DeepClone() })]);
        }

        foreach (var (name, value) in copy.ToList())
        {
            if (name is not ("id" or "externalId" or "meta"))
            {
                copy[name] = LowerStrings(value);
            }
        }

        return copy;
    }

    private static JsonNode? LowerStrings(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, LowerStrings(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(LowerStrings)]),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => JsonValue.Create(value.GetValue<string>().ToLowerInvariant()),
        _ => node?.DeepClone(),
    };
}
