using CsCheck;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.Sqlite.Tests;

public sealed class AccountQueryBuilderTests
{
    private static readonly AccountField[] TextFields =
    [
        AccountField.VaultEntryId, AccountField.UserName, AccountField.ExternalId, AccountField.PrimarySmtpAddress,
        AccountField.FirstName, AccountField.LastName, AccountField.DisplayName, AccountField.Alias,
    ];

    private static readonly AccountComparison[] TextComparisons =
    [
        AccountComparison.Equal, AccountComparison.NotEqual, AccountComparison.Contains, AccountComparison.StartsWith,
        AccountComparison.EndsWith, AccountComparison.GreaterThan, AccountComparison.GreaterThanOrEqual,
        AccountComparison.LessThan, AccountComparison.LessThanOrEqual,
    ];

    [Fact]
    public void The_sql_text_does_not_depend_on_the_values_compared()
    {
        Gen.Select(Gen.OneOfConst(TextFields), Gen.OneOfConst(TextComparisons), Gen.String, Gen.String)
            .Sample((field, comparison, first, second) =>
            {
                var one = Build(new AccountComparisonPredicate(field, comparison, first));
                var other = Build(new AccountComparisonPredicate(field, comparison, second));
                Assert.Equal(one.Sql, other.Sql);
            });
    }

    [Theory]
    [InlineData("x' OR '1'='1")]
    [InlineData("'; DROP TABLE ArchiveAccount; --")]
    [InlineData("\") OR 1=1 /*")]
    public void A_hostile_value_reaches_the_parameters_and_never_the_sql(string hostile)
    {
        var filter = new AccountOrPredicate(
            new AccountComparisonPredicate(AccountField.UserName, AccountComparison.Equal, hostile),
            new AccountNotPredicate(new AccountComparisonPredicate(AccountField.Alias, AccountComparison.Contains, hostile)));

        var built = Build(filter);

        Assert.DoesNotContain(hostile, built.Sql, StringComparison.Ordinal);
        Assert.Contains(hostile, built.Parameters.Values.OfType<string>());
    }

    [Fact]
    public void Like_wildcards_in_a_value_are_escaped_in_the_pattern()
    {
        var built = Build(new AccountComparisonPredicate(AccountField.DisplayName, AccountComparison.Contains, "50%_off\\"));

        Assert.Equal("%50\\%\\_off\\\\%", built.Parameters["p0"]);
        Assert.Contains("ESCAPE '\\'", built.Sql, StringComparison.Ordinal);
    }

    [Fact]
    public void Paging_is_one_based_and_count_is_bounded()
    {
        var built = AccountQueryBuilder.Build(7, new AccountQuery(null, null, false, 0, 100_000));

        Assert.Equal(7, built.Parameters["CustomerId"]);
        Assert.Equal(0, built.Parameters["Offset"]);
        Assert.Equal(AccountQueryBuilder.MaxCount, built.Parameters["Count"]);
        Assert.Equal(10, AccountQueryBuilder.Build(7, new AccountQuery(null, null, false, 11, 5)).Parameters["Offset"]);
    }

    [Theory]
    [InlineData(AccountField.UserName, false, "a.UserName COLLATE NOCASE ASC NULLS LAST, a.VaultEntryId ASC")]
    [InlineData(AccountField.CreatedUtc, true, "a.CreatedUtc DESC NULLS FIRST, a.VaultEntryId DESC")]
    [InlineData(null, false, "ORDER BY a.VaultEntryId ASC\n")]
    public void Sorting_uses_the_whitelisted_column_and_breaks_ties_by_id(AccountField? sortBy, bool descending, string expected)
    {
        var built = AccountQueryBuilder.Build(1, new AccountQuery(null, sortBy, descending, 1, 10));

        Assert.Contains(expected, built.Sql, StringComparison.Ordinal);
    }

    [Fact]
    public void Booleans_and_timestamps_become_typed_parameters()
    {
        var instant = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2));

        var built = Build(new AccountAndPredicate(
            new AccountComparisonPredicate(AccountField.Active, AccountComparison.Equal, false),
            new AccountComparisonPredicate(AccountField.ModifiedUtc, AccountComparison.GreaterThan, instant)));

        Assert.Equal(0, built.Parameters["p0"]);
        Assert.Equal("2026-01-02T01:04:05.0000000Z", built.Parameters["p1"]);
    }

    [Theory]
    [InlineData(AccountField.Active, AccountComparison.Contains, true)]
    [InlineData(AccountField.Active, AccountComparison.Equal, "maybe")]
    [InlineData(AccountField.CreatedUtc, AccountComparison.StartsWith, "2026")]
    [InlineData(AccountField.UserName, AccountComparison.Equal, 42)]
    [InlineData(AccountField.UserName, AccountComparison.Equal, null)]
    public void A_comparison_that_does_not_fit_the_field_is_refused(AccountField field, AccountComparison comparison, object? value)
    {
        Assert.Throws<ArgumentException>(() => Build(new AccountComparisonPredicate(field, comparison, value)));
    }

    private static BuiltAccountQuery Build(AccountPredicate filter)
        => AccountQueryBuilder.Build(1, new AccountQuery(filter, null, false, 1, 10));
}
