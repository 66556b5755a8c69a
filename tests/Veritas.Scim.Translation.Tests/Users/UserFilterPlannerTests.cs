using Veritas.Scim.Protocol.Errors;
using Veritas.Scim.Protocol.Filtering;
using Veritas.Scim.Translation.Archive;
using Veritas.Scim.Translation.Users;

namespace Veritas.Scim.Translation.Tests.Users;

public sealed class UserFilterPlannerTests
{
    private static UserLookup Plan(string filter) => UserFilterPlanner.Plan(FilterParser.Parse(filter));

    [Theory]
    [InlineData("userName eq \"Test_User_dfeef4c5\"", AccountField.UserName, "Test_User_dfeef4c5")]
    [InlineData("USERNAME Eq \"a@b.com\"", AccountField.UserName, "a@b.com")]
    [InlineData("externalId eq jyoung", AccountField.ExternalId, "jyoung")]
    [InlineData("externalId eq \"jyoung\"", AccountField.ExternalId, "jyoung")]
    [InlineData("id eq \"00AB\"", AccountField.VaultEntryId, "00AB")]
    [InlineData("emails[type eq \"work\"].value eq \"a@contoso.com\"", AccountField.PrimarySmtpAddress, "a@contoso.com")]
    [InlineData("emails[value eq \"a@contoso.com\" and type eq \"work\"]", AccountField.PrimarySmtpAddress, "a@contoso.com")]
    [InlineData("userName eq \"a\" and externalId eq \"b\"", AccountField.UserName, "a")]
    [InlineData("urn:ietf:params:scim:schemas:core:2.0:User:userName eq \"a\"", AccountField.UserName, "a")]
    public void Entra_filters_become_indexed_lookups(string filter, AccountField field, string value) =>
        Assert.Equal(new IndexedLookup(field, value), Plan(filter));

    [Fact]
    public void Other_filters_become_one_predicate_over_whitelisted_columns()
    {
        var plan = Assert.IsType<PredicateLookup>(Plan("active eq false and (displayName co \"Young\" or not (name.familyName sw \"Y\")) and urn:ietf:params:scim:schemas:extension:veritas:2.0:User:emailAliases eq \"jay@contoso.com\""));

        Assert.Equal(
            new AccountAndPredicate(
                new AccountAndPredicate(
                    new AccountComparisonPredicate(AccountField.Active, AccountComparison.Equal, false),
                    new AccountOrPredicate(
                        new AccountComparisonPredicate(AccountField.DisplayName, AccountComparison.Contains, "Young"),
                        new AccountNotPredicate(new AccountComparisonPredicate(AccountField.LastName, AccountComparison.StartsWith, "Y")))),
                new AccountComparisonPredicate(AccountField.Alias, AccountComparison.Equal, "jay@contoso.com")),
            plan.Predicate);
    }

    [Fact]
    public void Dates_are_compared_as_instants()
    {
        var plan = Assert.IsType<PredicateLookup>(Plan("meta.lastModified gt \"2026-05-13T04:42:34+02:00\""));

        Assert.Equal(new AccountComparisonPredicate(AccountField.ModifiedUtc, AccountComparison.GreaterThan, new DateTimeOffset(2026, 5, 13, 2, 42, 34, TimeSpan.Zero)), plan.Predicate);
    }

    [Theory]
    [InlineData("title eq \"Archivist\"", "title")]
    [InlineData("phoneNumbers[type eq \"work\"]", "phoneNumbers")]
    [InlineData("emails[type eq \"home\"]", "emails")]
    [InlineData("active gt true", "active")]
    [InlineData("meta.created gt \"yesterday\"", "meta.created")]
    public void Filters_the_archive_cannot_answer_are_invalidFilter(string filter, string named)
    {
        var error = Assert.Throws<ScimException>(() => Plan(filter));

        Assert.Equal(ScimErrorType.InvalidFilter, error.ScimType);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_comparisons_ask_for_presence() =>
        Assert.Equal(
            new PredicateLookup(new AccountNotPredicate(new AccountComparisonPredicate(AccountField.DisplayName, AccountComparison.Present, null))),
            Plan("displayName eq null"));

    [Fact]
    public void No_filter_lists_everything() => Assert.Equal(new PredicateLookup(null), UserFilterPlanner.Plan(null));
}
