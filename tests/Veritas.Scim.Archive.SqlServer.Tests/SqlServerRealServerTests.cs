using Dapper;
using Microsoft.Data.SqlClient;
using Polly.CircuitBreaker;
using Veritas.Scim.Archive.SqlServer.Execution;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.SqlServer.Tests;

/// <summary>
/// What only a real SQL Server can show (they skip here with the reason and run in CI, where
/// Docker exists): the least-privilege login, concurrency without deadlocks, the inspector on a
/// real catalog, and a deployment of version N+1 under load. Every store call runs as the
/// scim_gateway login.
/// </summary>
public sealed class SqlServerRealServerTests(SqlServerStoreFixture fixture) : IClassFixture<SqlServerStoreFixture>
{
    private const int Parallel = 50;
    private static readonly AuditContext Audit = new("real", "4bf92f3577b34da6a3ce929d0e0e4736");

    [Fact]
    public async Task The_role_holds_execute_on_scim_and_select_on_exactly_the_two_views()
    {
        SkipWithoutServer();
        await using var admin = await OpenAsync(fixture.ConnectionString);
        var permissions = (await admin.QueryAsync<string>(new CommandDefinition("""
            SELECT CONCAT(p.state_desc, N' ', p.permission_name, N' ',
                          CASE p.class WHEN 3 THEN N'SCHEMA::' + SCHEMA_NAME(p.major_id)
                                       ELSE OBJECT_SCHEMA_NAME(p.major_id) + N'.' + OBJECT_NAME(p.major_id) END)
            FROM sys.database_permissions AS p
            WHERE p.grantee_principal_id = DATABASE_PRINCIPAL_ID(N'scim_gateway');
            """, cancellationToken: TestContext.Current.CancellationToken))).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(["GRANT EXECUTE SCHEMA::scim", "GRANT SELECT scim.vw_ScimUser", "GRANT SELECT scim.vw_ScimUserAlias"], permissions);
    }

    [Theory]
    [InlineData("SELECT TOP (1) TokenId FROM scim.TenantToken;")]
    [InlineData("SELECT TOP (1) AuditId FROM scim.AuditLog;")]
    [InlineData("SELECT TOP (1) AccountId FROM dbo.ArchiveAccount;")]
    [InlineData("SELECT TOP (1) ScriptName FROM scim.SchemaVersions;")]
    public async Task The_gateway_login_cannot_read_tokens_audit_journal_or_dbo_directly(string query)
    {
        SkipWithoutServer();
        await using var gateway = await OpenAsync(fixture.GatewayConnectionString);
        var refused = await Assert.ThrowsAsync<SqlException>(() => gateway.ExecuteScalarAsync(new CommandDefinition(query, cancellationToken: TestContext.Current.CancellationToken)));
        Assert.Equal(229, refused.Number);
    }

    [Fact]
    public async Task The_gateway_login_is_ready_and_its_built_query_and_token_lookup_work()
    {
        SkipWithoutServer();
        var token = TestContext.Current.CancellationToken;
        var runner = new SqlServerCommandRunner(fixture.GatewayOptions());
        Assert.Null(await new SqlServerArchiveHealthProbe(runner).CheckAsync(token));

        var customerId = await fixture.CreateCustomerAsync("Priv " + Guid.NewGuid(), token);
        await fixture.Accounts.CreateAsync(customerId, State("priv@example.com", ["alias.priv@example.com"]), Audit, token);
        var page = await fixture.Accounts.QueryAsync(
            customerId,
            new AccountQuery(new AccountComparisonPredicate(AccountField.Alias, AccountComparison.EndsWith, "priv@example.com"), AccountField.UserName, false, 1, 10),
            token);
        Assert.Equal(1, page.TotalResults);
    }

    [Fact]
    public async Task Fifty_parallel_creates_of_one_user_name_give_one_account_no_deadlock_and_a_closed_breaker()
    {
        SkipWithoutServer();
        var token = TestContext.Current.CancellationToken;
        var customerId = await fixture.CreateCustomerAsync("Storm " + Guid.NewGuid(), token);
        var store = new SqlServerArchiveAccountStore(new SqlServerCommandRunner(fixture.GatewayOptions(retryCount: 0)));

        var outcomes = await Task.WhenAll(Enumerable.Range(0, Parallel).Select(i => Outcome(() =>
            store.CreateAsync(customerId, State("same@example.com", [$"own{i}@example.com"]), Audit, token))));

        Assert.Equal(1, outcomes.Count(o => o == "ok"));
        Assert.Equal(Parallel - 1, outcomes.Count(o => o == nameof(ArchiveStoreError.UserNameTaken)));
    }

    [Fact]
    public async Task Fifty_users_claiming_one_alias_at_once_leave_exactly_one_owner()
    {
        SkipWithoutServer();
        var token = TestContext.Current.CancellationToken;
        var customerId = await fixture.CreateCustomerAsync("Claim " + Guid.NewGuid(), token);
        var accounts = new List<ArchiveAccount>();
        for (var i = 0; i < Parallel; i++)
        {
            accounts.Add(await fixture.Accounts.CreateAsync(customerId, State($"claim{i}@example.com", []), Audit, token));
        }

        var store = new SqlServerArchiveAccountStore(new SqlServerCommandRunner(fixture.GatewayOptions(retryCount: 0)));
        var outcomes = await Task.WhenAll(accounts.Select(account => Outcome(() =>
            store.UpdateAsync(customerId, account.VaultEntryId, State(account.UserName, ["shared@example.com"]), account.Version, Audit, token))));

        Assert.Equal(1, outcomes.Count(o => o == "ok"));
        Assert.Equal(Parallel - 1, outcomes.Count(o => o == nameof(ArchiveStoreError.AliasTaken)));
        await using var admin = await OpenAsync(fixture.ConnectionString);
        Assert.Equal(1, await admin.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM dbo.ArchiveAccountAlias WHERE CustomerId = @CustomerId AND SmtpAddress = N'shared@example.com' AND RemovedUtc IS NULL;",
            new { CustomerId = customerId }, cancellationToken: token)));
    }

    [Fact]
    public async Task A_rename_and_alias_release_storm_against_concurrent_creates_has_no_deadlock_and_never_opens_the_breaker()
    {
        SkipWithoutServer();
        var token = TestContext.Current.CancellationToken;
        var customerId = await fixture.CreateCustomerAsync("Rename " + Guid.NewGuid(), token);
        const int Accounts = 10;
        var seeded = new List<ArchiveAccount>();
        for (var i = 0; i < Accounts; i++)
        {
            seeded.Add(await fixture.Accounts.CreateAsync(customerId, State($"a{i}@example.com", [$"x{i}@example.com"]), Audit, token));
        }

        // No retries: a deadlock would reach the test as a 1205 instead of being hidden.
        var store = new SqlServerArchiveAccountStore(new SqlServerCommandRunner(fixture.GatewayOptions(retryCount: 0)));
        var renames = seeded.Select(async account =>
        {
            var outcomes = new List<string>();
            var current = account;
            var index = seeded.IndexOf(account);
            for (var round = 0; round < 10; round++)
            {
                var (name, alias) = round % 2 == 0 ? ($"b{index}@example.com", $"y{index}@example.com") : ($"a{index}@example.com", $"x{index}@example.com");
                try
                {
                    current = await store.UpdateAsync(customerId, current.VaultEntryId, State(name, [alias]), current.Version, Audit, token);
                    outcomes.Add("ok");
                }
                catch (Exception exception)
                {
                    outcomes.Add(Describe(exception));
                    current = await store.GetAsync(customerId, current.VaultEntryId, token) ?? current;
                }
            }

            return outcomes;
        });
        var creates = Enumerable.Range(0, Accounts * 10).Select(i => Outcome(() =>
            store.CreateAsync(customerId, State($"{(i % 2 == 0 ? 'a' : 'b')}{i % Accounts}@example.com", [$"{(i % 2 == 0 ? 'y' : 'x')}{i % Accounts}@example.com"]), Audit, token)));

        var all = (await Task.WhenAll(renames)).SelectMany(o => o).Concat(await Task.WhenAll(creates)).ToList();

        Assert.DoesNotContain("deadlock", all);
        Assert.DoesNotContain("breaker-open", all);
        Assert.DoesNotContain(all, o => o.StartsWith("sql-", StringComparison.Ordinal) || o.StartsWith("other-", StringComparison.Ordinal));
        Assert.Contains("ok", all);
    }

    [Fact]
    public async Task A_create_held_open_at_the_top_of_one_customers_keys_never_blocks_the_next_customers_writes()
    {
        SkipWithoutServer();
        var token = TestContext.Current.CancellationToken;
        var (upper, lower) = await AdjacentCustomersAsync("Edge", token);
        var first = await fixture.Accounts.CreateAsync(upper, State("m.first@example.com", ["m.alias@example.com"]), Audit, token);

        // The lower customer's create of names above all of its own stays open: with range locks
        // (HOLDLOCK) its missing keys would lock the upper customer's first user name and alias.
        await using var admin = await OpenAsync(fixture.ConnectionString);
        await using var open = (SqlTransaction)await admin.BeginTransactionAsync(token);
        await admin.QueryAsync(new CommandDefinition("""
            DECLARE @Aliases scim.AliasList_v2;
            INSERT INTO @Aliases (SmtpAddress, Ordinal) VALUES (N'zz.alias@example.com', 0);
            EXEC scim.usp_User_Create @CustomerId = @CustomerId, @UserName = N'zz.top@example.com', @PrimarySmtpAddress = NULL,
                @FirstName = NULL, @LastName = NULL, @DisplayName = NULL, @Enabled = 1, @ExternalId = NULL, @ScimAttributesJson = NULL,
                @Aliases = @Aliases, @TenantKey = N'edge', @CorrelationId = N'edge';
            """, new { CustomerId = lower }, open, cancellationToken: token));

        // Meanwhile the upper customer writes its lowest keys, renames and releases its first ones.
        var options = fixture.GatewayOptions(retryCount: 0);
        options.CommandTimeout = TimeSpan.FromSeconds(5);
        options.AttemptTimeout = TimeSpan.FromSeconds(6);
        var store = new SqlServerArchiveAccountStore(new SqlServerCommandRunner(options));
        var outcomes = new List<string>
        {
            await Outcome(() => store.CreateAsync(upper, State("a.lowest@example.com", ["a.alias@example.com"]), Audit, token)),
            await Outcome(() => store.UpdateAsync(upper, first.VaultEntryId, State("n.renamed@example.com", ["n.alias@example.com"]), first.Version, Audit, token)),
        };
        var renamed = await store.GetAsync(upper, first.VaultEntryId, token);
        outcomes.Add(await Outcome(() => store.DeleteAsync(upper, first.VaultEntryId, renamed?.Version, Audit, token)));

        await open.RollbackAsync(token);
        Assert.Equal(["ok", "ok", "ok"], outcomes);
        Assert.Null(await fixture.Accounts.FindByUserNameAsync(lower, "zz.top@example.com", token));
    }

    [Fact]
    public async Task Parallel_creates_of_two_neighbouring_customers_at_their_adjacent_keys_see_no_deadlock_and_no_wait_on_each_other()
    {
        SkipWithoutServer();
        var token = TestContext.Current.CancellationToken;
        var (upper, lower) = await AdjacentCustomersAsync("Adjacent", token);
        await fixture.Accounts.CreateAsync(upper, State("m.seed@example.com", ["m.seed.alias@example.com"]), Audit, token);
        await fixture.Accounts.CreateAsync(lower, State("m.seed@example.com", ["m.seed.alias@example.com"]), Audit, token);

        // No retries: a 1205 or a lock wait past the timeout reaches the test instead of being hidden.
        var options = fixture.GatewayOptions(retryCount: 0);
        options.CommandTimeout = TimeSpan.FromSeconds(10);
        var store = new SqlServerArchiveAccountStore(new SqlServerCommandRunner(options));
        var creates = Enumerable.Range(0, Parallel / 2).SelectMany(i => new[]
        {
            // The lower customer's top keys and the upper customer's bottom keys are neighbours in
            // both unique indexes, (CustomerId, UserName) and (CustomerId, SmtpAddress).
            Outcome(() => store.CreateAsync(lower, State($"z{i:D2}@example.com", [$"z{i:D2}.alias@example.com"]), Audit, token)),
            Outcome(() => store.CreateAsync(upper, State($"a{i:D2}@example.com", [$"a{i:D2}.alias@example.com"]), Audit, token)),
        });

        var outcomes = await Task.WhenAll(creates);

        Assert.DoesNotContain("deadlock", outcomes);
        Assert.All(outcomes, outcome => Assert.Equal("ok", outcome));
        Assert.Equal(Parallel / 2 + 1, (await store.QueryAsync(lower, new AccountQuery(null, null, false, 1, 0), token)).TotalResults);
        Assert.Equal(Parallel / 2 + 1, (await store.QueryAsync(upper, new AccountQuery(null, null, false, 1, 0), token)).TotalResults);
    }

    [Theory]
    [InlineData("SET ANSI_WARNINGS OFF;", "ANSI_WARNINGS OFF")]
    [InlineData("SET ANSI_PADDING OFF;", "ANSI_PADDING OFF")]
    [InlineData("SET CONCAT_NULL_YIELDS_NULL OFF;", "CONCAT_NULL_YIELDS_NULL OFF")]
    [InlineData("SET NUMERIC_ROUNDABORT ON;", "NUMERIC_ROUNDABORT ON")]
    public async Task A_session_whose_set_options_break_filtered_index_writes_is_not_ready_and_says_which(string set, string named)
    {
        SkipWithoutServer();
        var token = TestContext.Current.CancellationToken;
        await using var gateway = await OpenAsync(fixture.GatewayConnectionString);
        await gateway.ExecuteAsync(new CommandDefinition(set, cancellationToken: token));

        var row = await gateway.QuerySingleAsync<SqlServer.Procedures.HealthRow>(new CommandDefinition("EXEC scim.usp_Health_Check;", cancellationToken: token));
        // The same session's write fails as the health check said it would.
        var customerId = await fixture.CreateCustomerAsync("Options " + Guid.NewGuid(), token);
        var write = await Assert.ThrowsAsync<SqlException>(() => gateway.ExecuteAsync(new CommandDefinition(
            "DECLARE @Aliases scim.AliasList_v2; EXEC scim.usp_User_Create @CustomerId = @CustomerId, @UserName = N'opt@example.com', @PrimarySmtpAddress = NULL, @FirstName = NULL, @LastName = NULL, @DisplayName = NULL, @Enabled = 1, @ExternalId = NULL, @ScimAttributesJson = NULL, @Aliases = @Aliases, @TenantKey = N'opt', @CorrelationId = N'opt';",
            new { CustomerId = customerId }, cancellationToken: token)));

        Assert.False(row.Ready);
        Assert.Contains(named, row.NotReadyBecause, StringComparison.Ordinal);
        Assert.Equal(1934, write.Number);
    }

    [Fact]
    public async Task An_update_without_an_expected_version_is_a_version_mismatch_not_an_unchecked_write()
    {
        SkipWithoutServer();
        var token = TestContext.Current.CancellationToken;
        var customerId = await fixture.CreateCustomerAsync("NullVersion " + Guid.NewGuid(), token);
        var created = await fixture.Accounts.CreateAsync(customerId, State("nv@example.com", []), Audit, token);
        await using var gateway = await OpenAsync(fixture.GatewayConnectionString);

        var refused = await Assert.ThrowsAsync<SqlException>(() => gateway.ExecuteAsync(new CommandDefinition(
            "DECLARE @Aliases scim.AliasList_v2; EXEC scim.usp_User_Update @CustomerId = @CustomerId, @VaultEntryId = @VaultEntryId, @ExpectedVersion = NULL, @UserName = N'nv.changed@example.com', @PrimarySmtpAddress = NULL, @FirstName = NULL, @LastName = NULL, @DisplayName = NULL, @Enabled = 1, @ExternalId = NULL, @ScimAttributesJson = NULL, @Aliases = @Aliases, @TenantKey = N'nv', @CorrelationId = N'nv';",
            new { CustomerId = customerId, created.VaultEntryId }, cancellationToken: token)));

        Assert.Equal(50004, refused.Number);
        Assert.Equal("nv@example.com", (await fixture.Accounts.GetAsync(customerId, created.VaultEntryId, token))?.UserName);
    }

    [Fact]
    public async Task A_prune_of_many_rows_holds_row_locks_only_never_the_whole_audit_log()
    {
        SkipWithoutServer();
        var token = TestContext.Current.CancellationToken;
        await using var admin = await OpenAsync(fixture.ConnectionString);
        var customerId = await fixture.CreateCustomerAsync("Prune " + Guid.NewGuid(), token);
        await admin.ExecuteAsync(new CommandDefinition("""
            INSERT INTO scim.AuditLog (TenantKey, CustomerId, Operation, ScimId, Outcome, CorrelationId, OccurredUtc)
            SELECT TOP (6000) N'prune', @CustomerId, N'CreateUser', NULL, N'Succeeded', NULL, '2000-01-01'
            FROM sys.all_columns AS a CROSS JOIN sys.all_columns AS b;
            """, new { CustomerId = customerId }, cancellationToken: token));

        await using var open = (SqlTransaction)await admin.BeginTransactionAsync(token);
        var deleted = await admin.ExecuteScalarAsync<int>(new CommandDefinition(
            "EXEC scim.usp_Audit_Prune @Cutoff = '2001-01-01', @BatchSize = 6000;", transaction: open, cancellationToken: token));
        var tableLocks = await admin.ExecuteScalarAsync<int>(new CommandDefinition("""
            SELECT COUNT(*) FROM sys.dm_tran_locks
            WHERE request_session_id = @@SPID AND resource_type = N'OBJECT'
              AND resource_associated_entity_id = OBJECT_ID(N'scim.AuditLog') AND request_mode IN (N'X', N'S', N'SIX', N'U');
            """, transaction: open, cancellationToken: token));
        await open.RollbackAsync(token);

        Assert.Equal(6000, deleted);
        Assert.Equal(0, tableLocks);
    }

    [Fact]
    public async Task The_inspector_finds_the_deployed_development_schema_clean()
    {
        SkipWithoutServer();
        var report = await ArchiveSchemaInspector.InspectAsync(fixture.ConnectionString, requireModules: true, TestContext.Current.CancellationToken);
        Assert.True(report.Findings.Count == 0, report.ToString());
    }

    [Fact]
    public async Task The_inspector_names_each_deliberate_alteration_and_the_production_deploy_refuses()
    {
        SkipWithoutServer();
        var token = TestContext.Current.CancellationToken;
        await using var database = await ScratchDatabase.CreateAsync(fixture.ConnectionString, token);
        await database.DeployAsync(token);
        await database.ExecuteAsync("""
            DROP INDEX UX_ArchiveAccountAlias_CustomerId_SmtpAddress_Live ON dbo.ArchiveAccountAlias;
            ALTER TABLE dbo.ArchiveAccountAlias ALTER COLUMN SmtpAddress nvarchar(320) COLLATE Latin1_General_100_CI_AS NOT NULL;
            DROP INDEX UX_ArchiveAccount_CustomerId_UserName_Live ON dbo.ArchiveAccount;
            ALTER TABLE dbo.ArchiveAccount ALTER COLUMN UserName nvarchar(256) COLLATE SQL_Latin1_General_CP1_CS_AS NOT NULL;
            CREATE UNIQUE INDEX UX_Renamed_UserName ON dbo.ArchiveAccount (CustomerId, UserName) WHERE AccountStatus <> 2;
            ALTER TABLE dbo.ArchiveAccount ALTER COLUMN FirstName varchar(128) NULL;
            """, token);

        var report = await ArchiveSchemaInspector.InspectAsync(database.ConnectionString, requireModules: true, token);
        using var log = new StringWriter();
        var deploy = await SqlServerSchemaDeployer.DeployAsync(database.ConnectionString, includeLegacy: false, log, token);

        var subjects = report.Errors.Select(finding => finding.Subject).ToHashSet();
        Assert.Contains("dbo.ArchiveAccountAlias.SmtpAddress", subjects);
        Assert.Contains("dbo.ArchiveAccountAlias (CustomerId, SmtpAddress) WHERE RemovedUtc IS NULL", subjects);
        Assert.Contains("dbo.ArchiveAccount.UserName", subjects);
        Assert.Contains("dbo.ArchiveAccount.FirstName", subjects);
        // Renamed, same shape: recognised.
        Assert.DoesNotContain("dbo.ArchiveAccount (CustomerId, UserName) WHERE AccountStatus <> 2", subjects);
        Assert.False(deploy.Successful);
        Assert.Empty(deploy.ScriptsRun);
        Assert.False(deploy.Report?.IsAcceptable);
    }

    [Fact(Timeout = 180_000)]
    public async Task Version_n_plus_one_deploys_on_a_live_database_while_calls_are_in_flight()
    {
        SkipWithoutServer();
        // Whatever hangs (a lock wait, a worker that never stops), the test ends, and its workers with it.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromMinutes(2));
        var token = deadline.Token;
        await using var database = await ScratchDatabase.CreateAsync(fixture.ConnectionString, token);
        await database.DeployAsync(token);
        var customerId = await database.ScalarAsync<int>("INSERT INTO dbo.Customer (Name) OUTPUT INSERTED.CustomerId VALUES (N'Live');", token);
        // The store's default retries: a call chosen as deadlock victim by the deployment is retried (1205 proves nothing was committed).
        var store = new SqlServerArchiveAccountStore(new SqlServerCommandRunner(new SqlServerStoreOptions { ConnectionString = database.ConnectionString }));

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var finished = new System.Collections.Concurrent.ConcurrentBag<(long Started, long Ended)>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var load = Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested && failures.Count < 20; i++)
            {
                var started = clock.ElapsedTicks;
                try
                {
                    // The calls use the test's token, not stop's: a call in flight when the load stops completes.
                    var created = await store.CreateAsync(customerId, State($"w{worker}-{i}@example.com", [$"w{worker}-{i}.alias@example.com"]), Audit, token);
                    Assert.NotNull(await store.GetAsync(customerId, created.VaultEntryId, token));
                    finished.Add((started, clock.ElapsedTicks));
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    failures.Add(Describe(exception));
                    await Task.Delay(TimeSpan.FromMilliseconds(50), token);
                }
            }
        }, token)).ToList();

        await WaitUntilAsync(() => finished.Count >= 8, token);
        // N+1: a new table type and a procedure moved to it would look like this (one transaction).
        (PlannedScript, string)[] next =
        [
            (new PlannedScript("scim.migrations.9001_AliasList_v3.sql", 2, RunAlways: false),
                "CREATE TYPE scim.AliasList_v3 AS TABLE (SmtpAddress nvarchar(320) NOT NULL, Ordinal int NOT NULL);"),
            (new PlannedScript("scim.programmability.9001_usp_User_Get.sql", 3, RunAlways: true),
                SqlServerSchemaDeployer.ReadScript("scim.programmability.0200_usp_User_Get.sql").Replace("-- Reads a live account", "-- Version N+1. Reads a live account", StringComparison.Ordinal)),
        ];
        using var log = new StringWriter();
        var deployStarted = clock.ElapsedTicks;
        var deployed = await SqlServerSchemaDeployer.DeployAsync(database.ConnectionString, includeLegacy: false, log, next, token);
        var deployEnded = clock.ElapsedTicks;
        var finishedBeforeDeployEnded = finished.Count;
        await WaitUntilAsync(() => finished.Count >= finishedBeforeDeployEnded + 8 || !failures.IsEmpty, token);
        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.True(deployed.Successful, $"{deployed.Error}\n{log}");
        Assert.Contains("scim.migrations.9001_AliasList_v3.sql", deployed.ScriptsRun);
        Assert.Empty(failures);
        // Calls ran across the deployment (started before it ended, ended after it started) and after it, on version N+1.
        Assert.Contains(finished, call => call.Started < deployEnded && call.Ended > deployStarted);
        Assert.Contains(finished, call => call.Started > deployEnded);
        Assert.Contains("Version N+1", await database.ScalarAsync<string>("SELECT OBJECT_DEFINITION(OBJECT_ID(N'scim.usp_User_Get'));", token), StringComparison.Ordinal);
        Assert.Equal(1, await database.ScalarAsync<int>("SELECT COUNT(*) FROM scim.SchemaVersions WHERE ScriptName = N'scim.migrations.9001_AliasList_v3.sql';", token));
        Assert.Equal(finished.Count, await database.ScalarAsync<int>($"SELECT COUNT(*) FROM dbo.ArchiveAccount WHERE CustomerId = {customerId};", token));
    }

    private static async Task WaitUntilAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        while (!condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken);
        }
    }

    /// <summary>Two customers whose ids are neighbours, so that their keys are neighbours in every (CustomerId, ...) index.</summary>
    private async Task<(int Upper, int Lower)> AdjacentCustomersAsync(string name, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var lower = await fixture.CreateCustomerAsync($"{name} lower {Guid.NewGuid()}", cancellationToken);
            var upper = await fixture.CreateCustomerAsync($"{name} upper {Guid.NewGuid()}", cancellationToken);
            if (upper == lower + 1)
            {
                return (upper, lower);
            }
        }

        throw new InvalidOperationException("Other tests kept creating customers in between; no two adjacent customer ids were had.");
    }

    private static async Task<string> Outcome(Func<Task> call)
    {
        try
        {
            await call();
            return "ok";
        }
        catch (Exception exception)
        {
            return Describe(exception);
        }
    }

    private static string Describe(Exception exception) => exception switch
    {
        ArchiveStoreException store => store.Error.ToString(),
        ArchiveStoreUnavailableException { InnerException: BrokenCircuitException } => "breaker-open",
        ArchiveStoreUnavailableException { InnerException: SqlException { Number: 1205 } } => "deadlock",
        ArchiveStoreUnavailableException { InnerException: SqlException sql } => "sql-" + sql.Number,
        SqlException sql => "sql-" + sql.Number,
        _ => "other-" + exception.GetType().Name,
    };

    private static async Task<SqlConnection> OpenAsync(string connectionString)
    {
        var connection = new SqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        return connection;
    }

    private void SkipWithoutServer()
    {
        if (fixture.SkipReason is { } reason)
        {
            Assert.Skip(reason);
        }
    }

    private static ArchiveAccountState State(string userName, IReadOnlyList<string> aliases) =>
        new(userName, userName, "Given", "Family", "Given Family", Enabled: true, ExternalId: "ext-" + userName, aliases, null);

    /// <summary>A throwaway database on the fixture's server, deployed like a development one and dropped afterwards.</summary>
    private sealed class ScratchDatabase : IAsyncDisposable
    {
        private readonly string _adminConnectionString;
        private readonly string _name;

        private ScratchDatabase(string adminConnectionString, string name)
        {
            _adminConnectionString = adminConnectionString;
            _name = name;
            ConnectionString = new SqlConnectionStringBuilder(adminConnectionString) { InitialCatalog = name }.ConnectionString;
        }

        public string ConnectionString { get; }

        public static Task<ScratchDatabase> CreateAsync(string adminConnectionString, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return Task.FromResult(new ScratchDatabase(adminConnectionString, "VeritasScimScratch_" + Guid.NewGuid().ToString("N")));
        }

        public async Task DeployAsync(CancellationToken cancellationToken)
        {
            using var log = new StringWriter();
            var result = await SqlServerSchemaDeployer.DeployAsync(ConnectionString, includeLegacy: true, log, cancellationToken);
            Assert.True(result.Successful, $"{result.Error}\n{log}");
        }

        public async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
        {
            await using var connection = new SqlConnection(ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await connection.ExecuteAsync(new CommandDefinition(sql, cancellationToken: cancellationToken));
        }

        public async Task<T> ScalarAsync<T>(string sql, CancellationToken cancellationToken)
        {
            await using var connection = new SqlConnection(ConnectionString);
            await connection.OpenAsync(cancellationToken);
            return (await connection.ExecuteScalarAsync<T>(new CommandDefinition(sql, cancellationToken: cancellationToken)))!;
        }

        public async ValueTask DisposeAsync()
        {
            SqlConnection.ClearAllPools();
            await using var connection = new SqlConnection(new SqlConnectionStringBuilder(_adminConnectionString) { InitialCatalog = "master" }.ConnectionString);
            await connection.OpenAsync();
            await connection.ExecuteAsync($"IF DB_ID(N'{_name}') IS NOT NULL BEGIN ALTER DATABASE [{_name}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{_name}]; END;");
        }
    }
}
