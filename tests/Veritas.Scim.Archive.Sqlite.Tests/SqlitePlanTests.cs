using System.Reflection;
using System.Text.RegularExpressions;
using SQLitePCL;
using Veritas.Scim.Archive.Conformance;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.Sqlite.Tests;

/// <summary>
/// Plans that cannot go stale: the store runs every operation of Entra's paths, then every
/// statement its connections hold prepared is explained on a database whose statistics lie
/// (the tables look as tiny as the four demo accounts a start analysed, or every index looks
/// useless). None may scan an account, alias or user-map table, nor search one by the tenant
/// alone (a scan of the tenant). The statements come from the store itself, and every <c>*Sql</c> constant of the
/// stores must be among them, with every update text built from the account as read, so a new
/// statement cannot escape this test.
/// </summary>
public sealed partial class SqlitePlanTests : IAsyncLifetime
{
    private static readonly AuditContext Audit = new("plan-tests", "00-plan-correlation-01");

    private readonly SqliteStoreFixture _fixture = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await _fixture.InitializeAsync();

    public async ValueTask DisposeAsync() => await _fixture.DisposeAsync();

    [Theory]
    [InlineData(Lie.TinyTables)]
    [InlineData(Lie.UselessIndexes)]
    public async Task No_statement_of_the_store_scans_an_account_table_even_with_statistics_that_lie(Lie lie)
    {
        await RunEveryOperationAsync();
        var texts = _fixture.Database.PreparedCommandTexts
            .Where(text => text != SqliteArchiveDatabase.ReadScript("Schema.sql") && text != SqliteArchiveDatabase.ReadScript("DemoSeed.sql"))
            .ToList();
        Assert.All(StoreStatementConstants(), constant => Assert.Contains(constant.Value, texts));
        Assert.Contains(texts, text => SqliteArchiveAccountStore.UpdateFromReadTexts.Contains(text));
        // Every update from the account as read, whichever changes it names, not only those the run made.
        texts.AddRange(SqliteArchiveAccountStore.UpdateFromReadTexts.Except(texts));

        WriteLyingStatistics(lie);
        using var session = OpenSession();
        if (lie == Lie.TinyTables)
        {
            // The control: main's unpinned alias guard walks the tenant's aliases under this lie.
            Assert.NotEmpty(ScansOfAccountTables(session, MainAliasGuard));
        }

        // Creating a customer (tenant administration, not a SCIM path) is exempt: SQLite codes a
        // parent-side foreign-key probe of every child table into an INSERT INTO Customer, which
        // runs only while deferred foreign-key violations are pending (never, here).
        var statements = texts.SelectMany(text => Statements(session, text))
            .Where(statement => !statement.StartsWith("INSERT INTO Customer ", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        Assert.True(statements.Count > 30, $"only {statements.Count} statements were collected");
        var scans = statements.SelectMany(statement => ScansOfAccountTables(session, statement)).ToList();
        Assert.True(scans.Count == 0, string.Join(Environment.NewLine + Environment.NewLine, scans));
    }

    [Fact]
    public async Task The_alias_input_is_read_once_as_the_outer_loop_of_the_alias_guard()
    {
        await RunEveryOperationAsync();
        WriteLyingStatistics(Lie.TinyTables);
        using var session = OpenSession();

        var guards = _fixture.Database.PreparedCommandTexts
            .SelectMany(text => Statements(session, text))
            .Where(statement => statement.Contains("scim_fail(" + SqliteCommandRunner.AliasTakenCode, StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .ToList();

        Assert.NotEmpty(guards);
        Assert.All(guards, guard => Assert.StartsWith("SCAN j VIRTUAL TABLE", Plan(session, guard)[0], StringComparison.Ordinal));
    }

    /// <summary>
    /// The audit trail of one account (by id, by the name it had, or either) is a seek of that
    /// account's rows, never a walk of the tenant's whole trail, whatever the statistics say.
    /// </summary>
    [Theory]
    [InlineData(Lie.TinyTables)]
    [InlineData(Lie.UselessIndexes)]
    public async Task An_audit_read_of_one_account_seeks_its_rows_even_with_statistics_that_lie(Lie lie)
    {
        await RunEveryOperationAsync();
        foreach (var (scimId, userName) in new (string?, string?)[] { (null, null), ("some-id", null), (null, "plan.user@plans.test"), ("some-id", "plan.user@plans.test") })
        {
            await _fixture.AuditTrail.ReadAsync(new AuditQuery("plans", scimId, null, null, null, 10) { UserName = userName }, Token);
        }

        var reads = typeof(SqliteAuditTrailStore).GetFields(BindingFlags.NonPublic | BindingFlags.Static)
            .Where(field => field.IsLiteral && field.Name.StartsWith("Read", StringComparison.Ordinal) && field.Name.EndsWith("Sql", StringComparison.Ordinal))
            .ToDictionary(field => field.Name, field => (string)field.GetRawConstantValue()!);
        Assert.Equal(["ReadByScimIdOrUserNameSql", "ReadByScimIdSql", "ReadByUserNameSql", "ReadTenantSql"], reads.Keys.Order());
        Assert.All(reads.Values, text => Assert.Contains(text, _fixture.Database.PreparedCommandTexts));

        WriteLyingStatistics(lie);
        using var session = OpenSession();
        foreach (var (name, text) in reads.Where(read => read.Key != "ReadTenantSql"))
        {
            var plan = Statements(session, text).SelectMany(statement => Plan(session, statement)).ToList();
            Assert.False(plan.Any(row => row.StartsWith("SCAN AuditLog", StringComparison.Ordinal) || row.EndsWith("(TenantKey=?)", StringComparison.Ordinal)), name + ": " + string.Join(" | ", plan));
            Assert.True(plan.Any(row => row.Contains("(VaultEntryId=?", StringComparison.Ordinal) || row.Contains("UserName=?)", StringComparison.Ordinal)), name + ": " + string.Join(" | ", plan));
        }
    }

    /// <summary>Main's alias guard before the plans were pinned: the control that proves the statistics lie enough.</summary>
    private const string MainAliasGuard = """
        SELECT scim_fail(50003, l.SmtpAddress)
        FROM json_each(@AliasesJson) AS j
        JOIN ArchiveAccountAlias AS l
          ON l.CustomerId = @CustomerId AND l.SmtpAddress = j.value AND l.RemovedUtc IS NULL
        WHERE l.AccountId IS NOT (SELECT AccountId FROM ArchiveAccount WHERE CustomerId = @CustomerId AND VaultEntryId = @VaultEntryId)
        ORDER BY j.key
        LIMIT 1;
        """;

    private async Task RunEveryOperationAsync()
    {
        var accounts = _fixture.Accounts;
        var tenants = _fixture.Tenants;
        var tenant = await tenants.AddTenantAsync("plans", "Plan Customer", Token);
        var customerId = tenant.CustomerId;
        var hash = new byte[32];
        hash[0] = 7;
        var token = await tenants.AddTokenAsync("plans", hash, Token);
        Assert.NotNull(await tenants.FindByTokenHashAsync(hash, Token));
        Assert.NotNull(await tenants.FindByTokenHashAsync(hash, Token));
        await tenants.ListTenantsAsync(Token);
        await tenants.ListTokensAsync("plans", Token);
        await Assert.ThrowsAsync<ArchiveStoreException>(() => tenants.AddTenantAsync("plans", "Plan Customer", Token));

        var legacy = await _fixture.InsertLegacyAccountAsync(customerId, new LegacyAccountSeed("legacy@plans.test", "legacy@plans.test", Aliases: ["old@plans.test"]), Token);
        var created = await accounts.CreateAsync(customerId, State("plan.user@plans.test", "ext-1", ["a1@plans.test", "a2@plans.test"]), Audit, Token);
        await Assert.ThrowsAsync<ArchiveStoreException>(() => accounts.CreateAsync(customerId, State("plan.user@plans.test", null, []), Audit, Token));
        await Assert.ThrowsAsync<ArchiveStoreException>(() => accounts.CreateAsync(customerId, State("other@plans.test", null, ["a1@plans.test"]), Audit, Token));
        Assert.NotNull(await accounts.GetAsync(customerId, created.VaultEntryId, Token));
        Assert.NotNull(await accounts.FindByUserNameAsync(customerId, "PLAN.user@plans.test", Token));
        Assert.NotNull(await accounts.FindByExternalIdAsync(customerId, "ext-1", Token));
        Assert.NotEmpty(await accounts.FindByWorkEmailAsync(customerId, "plan.user@plans.test", Token));
        var renamed = await accounts.UpdateAsync(customerId, created.VaultEntryId, State("plan.user@plans.test", "ext-1", ["a2@plans.test", "a3@plans.test"]), created.Version, Audit, Token);
        var updated = await accounts.UpdateAsync(customerId, created.VaultEntryId, State("plan.user@plans.test", "ext-9", ["a2@plans.test", "a3@plans.test"]), renamed.Version, Audit, Token, asRead: renamed);
        await Assert.ThrowsAsync<ArchiveStoreException>(() => accounts.UpdateAsync(customerId, created.VaultEntryId, State("plan.user@plans.test", "ext-1", []), created.Version, Audit, Token));
        var adopted = (await accounts.GetAsync(customerId, legacy, Token))!;
        await accounts.UpdateAsync(customerId, legacy, State("legacy@plans.test", "ext-2", ["old@plans.test"]), adopted.Version, Audit, Token);
        await accounts.DeleteAsync(customerId, created.VaultEntryId, updated.Version, Audit, Token);
        await Assert.ThrowsAsync<ArchiveStoreException>(() => accounts.DeleteAsync(customerId, created.VaultEntryId, null, Audit, Token));
        await tenants.RevokeTokenAsync("plans", token.TokenId, Token);
        Assert.Null(await _fixture.Database.HealthProbe.CheckAsync(Token));
    }

    public enum Lie
    {
        /// <summary>Four rows per table, one per key: statistics taken when the database held the demo accounts.</summary>
        TinyTables,

        /// <summary>A million rows per table, every key matching all of them.</summary>
        UselessIndexes,
    }

    private void WriteLyingStatistics(Lie lie)
    {
        using var session = OpenSession();
        session.Execute("ANALYZE; DELETE FROM sqlite_stat1;");
        var indexes = new List<(string Table, string Index, int Columns)>();
        using (var command = session.Connection.CreateCommand())
        {
            command.CommandText = """
                SELECT m.name, i.name, (SELECT COUNT(*) FROM pragma_index_info(i.name))
                FROM sqlite_master AS m JOIN pragma_index_list(m.name) AS i
                WHERE m.type = 'table' AND m.name IN ('ArchiveAccount', 'ArchiveAccountAlias', 'UserMap', 'TenantToken', 'Tenant', 'AuditLog');
                """;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                indexes.Add((reader.GetString(0), reader.GetString(1), reader.GetInt32(2)));
            }
        }

        Assert.NotEmpty(indexes);
        foreach (var (table, index, columns) in indexes)
        {
            var stat = lie == Lie.TinyTables
                ? "4 " + string.Join(' ', Enumerable.Repeat("1", columns))
                : string.Join(' ', Enumerable.Repeat("1000000", columns + 1));
            using var command = session.Connection.CreateCommand();
            command.CommandText = "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ($table, $index, $stat);";
            command.Parameters.AddWithValue("$table", table);
            command.Parameters.AddWithValue("$index", index);
            command.Parameters.AddWithValue("$stat", stat);
            command.ExecuteNonQuery();
        }
    }

    private SqliteSession OpenSession()
        => SqliteSession.Open(_fixture.Options.BuildConnectionStringBuilder().ToString(), 5_000, readOnly: false);

    private static IEnumerable<KeyValuePair<string, string>> StoreStatementConstants()
        => new[] { typeof(SqliteArchiveAccountStore), typeof(SqliteTenantStore) }
            .SelectMany(type => type.GetFields(BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Static))
            .Where(field => field.IsLiteral && field.FieldType == typeof(string) && field.Name.EndsWith("Sql", StringComparison.Ordinal))
            .Select(field => KeyValuePair.Create(field.DeclaringType!.Name + "." + field.Name, (string)field.GetRawConstantValue()!));

    /// <summary>The statements of a command text, split by SQLite itself.</summary>
    private static List<string> Statements(SqliteSession session, string commandText)
    {
        var statements = new List<string>();
        var rest = commandText;
        while (!string.IsNullOrWhiteSpace(rest))
        {
            Check(session, raw.sqlite3_prepare_v2(session.Connection.Handle, rest, out var statement, out var tail));
            using (statement)
            {
                if (!statement.IsInvalid)
                {
                    statements.Add(raw.sqlite3_sql(statement).utf8_to_string().Trim());
                }
            }

            rest = tail;
        }

        return statements;
    }

    private static List<string> Plan(SqliteSession session, string statement)
    {
        var rows = new List<string>();
        Check(session, raw.sqlite3_prepare_v2(session.Connection.Handle, "EXPLAIN QUERY PLAN " + statement, out var plan, out _));
        using (plan)
        {
            while (raw.sqlite3_step(plan) == raw.SQLITE_ROW)
            {
                rows.Add(raw.sqlite3_column_text(plan, 3).utf8_to_string());
            }
        }

        return rows;
    }

    private static List<string> ScansOfAccountTables(SqliteSession session, string statement)
        => [.. Plan(session, statement).Where(row => ScanOfAccountTable().IsMatch(row)).Select(row => row + " in: " + statement)];

    private static void Check(SqliteSession session, int result)
    {
        if (result != raw.SQLITE_OK)
        {
            Assert.Fail(raw.sqlite3_errmsg(session.Connection.Handle).utf8_to_string());
        }
    }

    private static ArchiveAccountState State(string userName, string? externalId, IReadOnlyList<string> aliases)
        => new(userName, userName, "Plan", "User", "Plan User", true, externalId, aliases, "{}");

    // A walk of the tenant's rows (CustomerId=? alone) is a scan; the partial index of user maps
    // with other work addresses is not: it holds only the few accounts that have them.
    [GeneratedRegex(@"^SCAN (ArchiveAccount|ArchiveAccountAlias|UserMap|a|l|m)\b|^SEARCH (ArchiveAccount|ArchiveAccountAlias|UserMap|a|l|m) USING (?!INDEX IX_UserMap_Customer_OtherWorkEmails ).*\(CustomerId=\?\)$")]
    private static partial Regex ScanOfAccountTable();
}
