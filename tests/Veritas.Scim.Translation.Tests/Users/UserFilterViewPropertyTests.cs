using System.Text.Json.Nodes;
using CsCheck;
using Veritas.Scim.Protocol.Errors;
using Veritas.Scim.Protocol.Filtering;
using Veritas.Scim.Protocol.Schemas;
using Veritas.Scim.Translation.Aliases;
using Veritas.Scim.Translation.Archive;
using Veritas.Scim.Translation.Users;

namespace Veritas.Scim.Translation.Tests.Users;

/// <summary>
/// The query runner evaluates a filter on the resource itself, not on <see cref="UserFilterView"/>,
/// when <see cref="UserFilterView.AsksAboutAliases"/> says the filter cannot see the difference.
/// For generated filters over every path that can tell the two apart (emailAliases in any letter
/// case, URN-qualified or not, the extension itself, in value paths and under not/and/or) and paths
/// that cannot, that answer must be the view's answer.
/// </summary>
public sealed class UserFilterViewPropertyTests
{
    private static readonly ScimResourceSchema User = UserSchemas.Resource;

    private static readonly ArchiveAccount Account = new(
        "01A0", 1, "bjensen@example.com", "bjensen@example.com", "Barbara", "Jensen", "Barbara Jensen", AccountStatus.Enabled, ProvisioningSource.Scim,
        "ext-1", ["babs@example.com", "b.jensen@example.com"],
        """{"userName":"bjensen@example.com","urn:ietf:params:scim:schemas:extension:veritas:2.0:User":{"emailAliases":"SMTP:bjensen@example.com,smtp:babs@example.com,smtp:b.jensen@example.com"}}""",
        true, 3, DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse("2026-01-02T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    private static readonly Gen<string> Path = Gen.OneOfConst(
        "userName", "displayName", "externalId", "name.givenName", "emails.value", "active",
        "emailAliases", "EMAILALIASES", "urn:ietf:params:scim:schemas:extension:veritas:2.0:User:emailAliases",
        "URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:VERITAS:2.0:USER:EmailAliases", "urn:ietf:params:scim:schemas:extension:veritas:2.0:User");

    private static readonly Gen<string> Value = Gen.OneOfConst(
        "\"babs@example.com\"", "\"BABS@EXAMPLE.COM\"", "\"smtp:babs@example.com\"", "\"SMTP:bjensen@example.com,smtp:babs@example.com,smtp:b.jensen@example.com\"",
        "\"bjensen@example.com\"", "\"Barbara\"", "\"b\"", "\"com\"", "true");

    private static readonly Gen<string> Comparison = Gen.Frequency(
        (4, Gen.Select(Path, Gen.OneOfConst("eq", "ne", "co", "sw", "ew"), Value, (path, op, value) => $"{path} {op} {value}")),
        (1, Path.Select(path => path + " pr")),
        (1, Gen.Select(Gen.OneOfConst("emails", "emailAliases", "EmailAliases"), Value, (path, value) => $"{path}[value eq {value}]")));

    private static Gen<string> FilterText(int depth) => depth == 0
        ? Comparison
        : Gen.Frequency(
            (3, Comparison),
            (1, Gen.Select(FilterText(depth - 1), FilterText(depth - 1), (l, r) => $"({l}) and ({r})")),
            (1, Gen.Select(FilterText(depth - 1), FilterText(depth - 1), (l, r) => $"({l}) or ({r})")),
            (1, FilterText(depth - 1).Select(f => $"not ({f})")));

    [Fact]
    public void A_filter_that_does_not_ask_about_aliases_answers_the_same_on_the_resource_as_on_the_view()
    {
        var resource = UserMapper.ToResource(Account, "https://gw.example.com/scim/t/v2");
        var view = UserFilterView.Of(Account, resource);
        var askedAboutAliases = 0;
        FilterText(3).Sample(
            text =>
            {
                var filter = FilterParser.Parse(text, new FilterParserOptions());
                if (UserFilterView.AsksAboutAliases(filter))
                {
                    askedAboutAliases++;
                    return;
                }

                Assert.Equal(Outcome(filter, view), Outcome(filter, resource));
            },
            iter: 5_000,
            print: text => text);

        // The generator reaches both sides of the shortcut.
        Assert.InRange(askedAboutAliases, 1, 4_999);
    }

    private static string Outcome(Filter filter, System.Text.Json.Nodes.JsonObject user)
    {
        try
        {
            return FilterEvaluator.Matches(filter, user, User) ? "match" : "no match";
        }
        catch (ScimException exception)
        {
            return exception.ScimType + ": " + exception.Message;
        }
    }

    private static readonly Gen<string> ColumnPath = Gen.OneOfConst(
        "id", "userName", "USERNAME", "externalId", "displayName", "DisplayName", "active",
        "urn:ietf:params:scim:schemas:core:2.0:User:userName", "URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER:externalId");

    private static readonly Gen<string> ColumnValue = Gen.OneOfConst(
        "\"bjensen@example.com\"", "\"BJENSEN@EXAMPLE.COM\"", "\"Barbara\"", "\"O'Malley & Sons\"", "\"ext-1\"", "\"\"", "\"b\"", "true", "false", "null", "42");

    private static readonly Gen<string> ColumnComparison = Gen.Frequency(
        (4, Gen.Select(ColumnPath, Gen.OneOfConst("eq", "ne", "co", "sw", "ew", "gt", "le"), ColumnValue, (path, op, value) => $"{path} {op} {value}")),
        (1, ColumnPath.Select(path => path + " pr")));

    private static Gen<string> ColumnFilterText(int depth) => depth == 0
        ? ColumnComparison
        : Gen.Frequency(
            (3, ColumnComparison),
            (1, Gen.Select(ColumnFilterText(depth - 1), ColumnFilterText(depth - 1), (l, r) => $"({l}) and ({r})")),
            (1, Gen.Select(ColumnFilterText(depth - 1), ColumnFilterText(depth - 1), (l, r) => $"({l}) or ({r})")),
            (1, ColumnFilterText(depth - 1).Select(f => $"not ({f})")));

    /// <summary>
    /// A filter over column attributes only is answered on <see cref="UserFilterView.Columns"/>
    /// exactly as on the whole resource, for generated accounts and user maps (including maps that
    /// hold the same names in another letter case or of another JSON type).
    /// </summary>
    [Fact]
    public void A_filter_over_columns_answers_the_same_on_the_columns_as_on_the_resource()
    {
        var mapper = new UserMapper(EmailAliasOptions.Default);
        Gen.Select(ColumnFilterText(2), AccountGen.Account).Sample(
            (text, account) =>
            {
                var filter = FilterParser.Parse(text, new FilterParserOptions());
                Assert.True(UserFilterView.AsksOnlyAboutColumns(filter), text);
                JsonObject resource;
                try
                {
                    resource = UserMapper.ToResource(account, "https://gw.example.com/scim/t/v2");
                }
                catch (ScimException)
                {
                    return;
                }

                bool? onResource = null, onColumns = null;
                var resourceFailure = Record.Exception(() => onResource = FilterEvaluator.Matches(filter, resource, User));
                var columnsFailure = Record.Exception(() => onColumns = FilterEvaluator.Matches(filter, UserFilterView.Columns(account), User));
                Assert.Equal(resourceFailure?.GetType(), columnsFailure?.GetType());
                Assert.Equal(onResource, onColumns);
            },
            iter: 20_000);
    }

    [Theory]
    [InlineData("name.givenName eq \"b\"")]
    [InlineData("emails[type eq \"work\"].value eq \"b\"")]
    [InlineData("userName eq \"b\" and emailAliases co \"b\"")]
    [InlineData("title pr")]
    [InlineData("displayName.value eq \"b\"")]
    [InlineData("meta.lastModified gt \"2026-01-01T00:00:00Z\"")]
    [InlineData("urn:ietf:params:scim:schemas:extension:veritas:2.0:User:userName eq \"b\"")]
    public void A_filter_that_reaches_past_the_columns_is_answered_on_the_resource(string text) =>
        Assert.False(UserFilterView.AsksOnlyAboutColumns(FilterParser.Parse(text, new FilterParserOptions())));
}
