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
    [InlineData("id eq \"00AB\"", AccountField.VaultEntryId, "00AB")]
    [InlineData("emails[type eq \"work\"].value eq \"a@contoso.com\"", AccountField.PrimarySmtpAddress, "a@contoso.com")]
    [InlineData("emails[value eq \"a@contoso.com\" and type eq \"work\"]", AccountField.PrimarySmtpAddress, "a@contoso.com")]
    [InlineData("userName eq \"a\" and externalId eq \"b\"", AccountField.UserName, "a")]
    [InlineData("externalId eq \"b\" and userName eq \"a\"", AccountField.UserName, "a")]
    [InlineData("urn:ietf:params:scim:schemas:core:2.0:User:userName eq \"a\"", AccountField.UserName, "a")]
    [InlineData("userName eq \"a\" and emailAliases eq \"x@contoso.com\"", AccountField.UserName, "a")]
    public void Entra_filters_become_indexed_lookups(string filter, AccountField field, string value) =>
        Assert.Equal(new IndexedLookup(field, value), Plan(filter));

    [Theory]
    [InlineData("externalId eq jyoung", "jyoung")]
    [InlineData("externalId eq \"jyoung\"", "jyoung")]
    public void ExternalId_is_one_exact_query_because_it_need_not_be_unique(string filter, string value) =>
        Assert.Equal(new PredicateLookup(new AccountComparisonPredicate(AccountField.ExternalId, AccountComparison.Equal, value), Exact: true), Plan(filter));

    [Fact]
    public void What_the_store_answers_exactly_pushes_down_whole_and_the_store_pages()
    {
        var plan = Assert.IsType<PredicateLookup>(Plan("active eq false and (externalId sw \"Ext\" or not (meta.lastModified gt \"2026-05-13T04:42:34+02:00\")) and id ne \"00AB\""));

        Assert.True(plan.Exact);
        Assert.Equal(
            new AccountAndPredicate(
                new AccountAndPredicate(
                    new AccountComparisonPredicate(AccountField.Active, AccountComparison.Equal, false),
                    new AccountOrPredicate(
                        new AccountComparisonPredicate(AccountField.ExternalId, AccountComparison.StartsWith, "Ext"),
                        new AccountNotPredicate(new AccountComparisonPredicate(AccountField.ModifiedUtc, AccountComparison.GreaterThan, new DateTimeOffset(2026, 5, 13, 2, 42, 34, TimeSpan.Zero))))),
                new AccountNotPredicate(new AccountComparisonPredicate(AccountField.VaultEntryId, AccountComparison.Equal, "00AB"))),
            plan.Predicate);
    }

    [Fact]
    public void Case_insensitive_text_only_narrows_the_candidates()
    {
        var plan = Assert.IsType<PredicateLookup>(Plan("displayName co \"Young\" and emailAliases eq \"jay@contoso.com\""));

        Assert.False(plan.Exact);
        Assert.Equal(
            new AccountAndPredicate(
                new AccountComparisonPredicate(AccountField.DisplayName, AccountComparison.Contains, "Young"),
                new AccountComparisonPredicate(AccountField.Alias, AccountComparison.Equal, "jay@contoso.com")),
            plan.Predicate);
    }

    [Theory]
    [InlineData("title eq \"Archivist\"")]
    [InlineData("phoneNumbers[type eq \"work\"]")]
    [InlineData("emails[type eq \"home\"]")]
    [InlineData("emails.value eq \"second@contoso.com\"")]
    [InlineData("displayName ne \"Jay\"")]
    [InlineData("not (displayName co \"Jay\")")]
    [InlineData("userName gt \"m\"")]
    [InlineData("displayName eq \"José\"")]
    [InlineData("displayName eq \"Jay\" or title eq \"Archivist\"")]
    public void Filters_the_store_cannot_narrow_leave_every_account_a_candidate(string filter) =>
        Assert.Equal(new PredicateLookup(null, Exact: false), Plan(filter));

    [Fact]
    public void A_narrowing_and_an_unusable_part_keep_the_narrowing() =>
        Assert.Equal(
            new PredicateLookup(new AccountComparisonPredicate(AccountField.LastName, AccountComparison.Equal, "Employee"), Exact: false),
            Plan("name.familyName eq \"Employee\" and (emails.value co \"example.com\" or emails.value co \"example.org\")"));

    [Theory]
    [InlineData("active gt true", "active")]
    [InlineData("active eq \"yes\"", "active")]
    [InlineData("active eq 1", "active")]
    [InlineData("meta.created gt \"yesterday\"", "meta.created")]
    [InlineData("meta.lastModified lt \"T\"", "meta.lastModified")]
    [InlineData("meta.lastModified gt true", "meta.lastModified")]
    [InlineData("userName gt true", "userName")]
    [InlineData("userName eq \"a\" or active eq \"yes\"", "active")]
    [InlineData("emails[primary eq \"maybe\"]", "primary")]
    public void Ill_typed_comparisons_are_invalidFilter_before_any_store_call(string filter, string named)
    {
        var error = Assert.Throws<ScimException>(() => Plan(filter));

        Assert.Equal(ScimErrorType.InvalidFilter, error.ScimType);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Null_comparisons_ask_for_presence() =>
        Assert.Equal(
            new PredicateLookup(new AccountNotPredicate(new AccountComparisonPredicate(AccountField.DisplayName, AccountComparison.Present, null)), Exact: true),
            Plan("displayName eq null"));

    [Fact]
    public void No_filter_lists_everything() => Assert.Equal(new PredicateLookup(null, Exact: true), UserFilterPlanner.Plan(null));
}
