using Dapper;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.Sqlite.Tests;

/// <summary>
/// The query the planner sends for Entra's <c>externalId eq</c> (and what it is combined with)
/// stays index seeks as the tenant grows: SQLite's EXPLAIN QUERY PLAN shows SEARCH … USING INDEX
/// for the accounts and user maps, never a SCAN of them, at 1,000 and at 100,000 accounts.
/// </summary>
public sealed class AccountQueryPlanTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public static TheoryData<int> Sizes => new() { 1_000, 100_000 };

    [Theory]
    [MemberData(nameof(Sizes))]
    public async Task ExternalId_equality_is_an_index_seek_at_any_size(int accounts)
    {
        await using var fixture = new SqliteStoreFixture();
        await fixture.InitializeAsync();
        var customerId = await fixture.CreateCustomerAsync("plan", Token);
        await SeedAsync(fixture, customerId, accounts);

        var built = AccountQueryBuilder.Build(customerId, new AccountQuery(
            new AccountComparisonPredicate(AccountField.ExternalId, AccountComparison.Equal, "ext-42"), null, false, 1, 200));
        var plan = await ExplainAsync(fixture, built);

        // Every read of the accounts is a rowid lookup of an id the user-map index found.
        var accountSteps = plan.Where(step => step.StartsWith("SEARCH a ", StringComparison.Ordinal) || step.StartsWith("SCAN a ", StringComparison.Ordinal) || step.StartsWith("SCAN m ", StringComparison.Ordinal) || step is "SCAN a" or "SCAN m").ToList();
        Assert.True(accountSteps.TrueForAll(step => step.StartsWith("SEARCH a USING INTEGER PRIMARY KEY (rowid=?)", StringComparison.Ordinal)), string.Join(" | ", plan));
        Assert.Contains(plan, step => step.StartsWith("SEARCH x USING COVERING INDEX IX_UserMap_Customer_ExternalId", StringComparison.Ordinal));
        var page = await fixture.Accounts.QueryAsync(customerId, new AccountQuery(new AccountComparisonPredicate(AccountField.ExternalId, AccountComparison.Equal, "ext-42"), null, false, 1, 200), Token);
        Assert.Equal("ext-42", Assert.Single(page.Accounts).ExternalId);
    }

    internal static async Task<List<string>> ExplainAsync(SqliteStoreFixture fixture, BuiltAccountQuery built)
    {
        await using var connection = fixture.OpenConnection();
        var rows = await connection.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>(
            new CommandDefinition("EXPLAIN QUERY PLAN " + built.Sql, built.ToDapperParameters(), cancellationToken: Token));
        return [.. rows.Select(row => row.Detail)];
    }

    /// <summary>Accounts with user maps, written in one statement (the store's own writes fsync each).</summary>
    internal static async Task SeedAsync(SqliteStoreFixture fixture, int customerId, int accounts)
    {
        await using var connection = fixture.OpenConnection();
        await connection.ExecuteAsync(new CommandDefinition(
            """
            BEGIN;
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @Accounts)
            INSERT INTO ArchiveAccount (CustomerId, VaultEntryId, UserName, PrimarySmtpAddress, FirstName, LastName, DisplayName,
                AccountStatus, ProvisioningSource, Version, CreatedUtc, ModifiedUtc)
            SELECT @CustomerId, printf('%032X', i), printf('user%d@plan.example', i), printf('user%d@plan.example', i),
                'First', 'Last', 'Display', 0, 3, 1, '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z' FROM n;
            INSERT INTO UserMap (AccountId, CustomerId, ExternalId, ScimAttributesJson, CreatedUtc, ModifiedUtc)
            SELECT AccountId, CustomerId, 'ext-' || substr(UserName, 5, instr(UserName, '@') - 5), '{}', CreatedUtc, ModifiedUtc
            FROM ArchiveAccount WHERE CustomerId = @CustomerId;
            COMMIT;
            """,
            new { CustomerId = customerId, Accounts = accounts },
            cancellationToken: Token));
    }
}
