using CsCheck;
using Veritas.Scim.Archive.SqlServer.Execution;
using Veritas.Scim.Archive.SqlServer.Tests.Deployment;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.SqlServer.Tests;

/// <summary>
/// How doctor reports the legacy schema on SQL Server: the inspector's catalog rows shaped as
/// each case (all fine, mismatches, metadata the login cannot see), then the real least-privilege
/// login against a real server (skips here without one).
/// </summary>
public sealed class SqlServerStoreDiagnosticsTests(SqlServerStoreFixture fixture) : IClassFixture<SqlServerStoreFixture>
{
    private static readonly string[] LegacyTables = [ArchiveSchemaShape.Customer, ArchiveSchemaShape.Account, ArchiveSchemaShape.Archive, ArchiveSchemaShape.Alias];

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_clean_catalog_is_one_pass(bool canViewDboDefinitions)
    {
        var finding = Assert.Single(SqlServerStoreDiagnostics.LegacySchemaFindings(ArchiveSchemaInspectorTests.Clean(), canViewDboDefinitions));

        Assert.Equal(FindingStatus.Pass, finding.Status);
        Assert.Equal("legacy columns and indexes", finding.Check);
    }

    [Fact]
    public void Each_mismatch_is_its_own_row_with_its_fix_errors_failing_and_warnings_warning()
    {
        var clean = ArchiveSchemaInspectorTests.Clean();
        var facts = clean with
        {
            Columns = [.. clean.Columns.Select(c => c is { Table: "dbo.ArchiveAccount", Column: "UserName" } ? c with { MaxLength = 200 } : c)],
            Indexes = [.. clean.Indexes.Where(i => i.Name != "IX_ArchiveAccount_CustomerId_PrimarySmtpAddress")],
        };

        var findings = SqlServerStoreDiagnostics.LegacySchemaFindings(facts, canViewDboDefinitions: false);

        Assert.Equal(2, findings.Count);
        var narrow = Assert.Single(findings, f => f.Status == FindingStatus.Fail);
        Assert.Equal("legacy columns and indexes: dbo.ArchiveAccount.UserName", narrow.Check);
        Assert.Contains("holds 100 characters", narrow.Detail, StringComparison.Ordinal);
        Assert.Contains("ALTER TABLE dbo.ArchiveAccount ALTER COLUMN UserName nvarchar(256)", narrow.Fix, StringComparison.Ordinal);
        var index = Assert.Single(findings, f => f.Status == FindingStatus.Warn);
        Assert.StartsWith("legacy columns and indexes: dbo.ArchiveAccount (CustomerId, PrimarySmtpAddress)", index.Check, StringComparison.Ordinal);
        Assert.StartsWith("CREATE INDEX", index.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Dbo_metadata_the_login_cannot_see_is_one_warning_naming_db_check_never_a_fail()
    {
        // What the scim_gateway role sees: the database row and no dbo table at all.
        var hidden = ArchiveSchemaInspectorTests.Clean() with { Columns = [], Indexes = [] };

        var finding = Assert.Single(SqlServerStoreDiagnostics.LegacySchemaFindings(hidden, canViewDboDefinitions: false));

        Assert.Equal(FindingStatus.Warn, finding.Status);
        Assert.All(LegacyTables, table => Assert.Contains(table, finding.Detail, StringComparison.Ordinal));
        Assert.Contains("`db check` as the deploying login", finding.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void A_table_missing_for_a_login_that_may_see_dbo_is_a_fail()
    {
        var clean = ArchiveSchemaInspectorTests.Clean();
        var facts = clean with { Columns = [.. clean.Columns.Where(c => c.Table != ArchiveSchemaShape.Archive)] };

        var finding = Assert.Single(SqlServerStoreDiagnostics.LegacySchemaFindings(facts, canViewDboDefinitions: true));

        Assert.Equal(FindingStatus.Fail, finding.Status);
        Assert.Equal("legacy columns and indexes: dbo.Archive", finding.Check);
    }

    [Fact]
    public void Whatever_subset_is_hidden_only_visible_tables_are_judged_and_the_rest_are_named_in_the_warning()
    {
        var clean = ArchiveSchemaInspectorTests.Clean();
        Gen.Bool.Array[LegacyTables.Length].Sample(mask =>
        {
            var hidden = LegacyTables.Where((_, i) => mask[i]).ToHashSet(StringComparer.Ordinal);
            var facts = clean with
            {
                Columns = [.. clean.Columns.Where(c => !hidden.Contains(c.Table))],
                Indexes = [.. clean.Indexes.Where(i => !hidden.Contains(i.Table))],
            };

            var findings = SqlServerStoreDiagnostics.LegacySchemaFindings(facts, canViewDboDefinitions: false);

            Assert.DoesNotContain(findings, f => f.Status == FindingStatus.Fail);
            var warning = findings.SingleOrDefault(f => f.Status == FindingStatus.Warn);
            Assert.Equal(hidden.Count > 0, warning is not null);
            Assert.All(LegacyTables, table => Assert.Equal(hidden.Contains(table), warning?.Detail.Contains(table + ",", StringComparison.Ordinal) == true || warning?.Detail.Contains(table + " ", StringComparison.Ordinal) == true));
        });
    }

    [Fact]
    public async Task The_least_privilege_login_gets_no_fail_and_a_warning_for_dbo_while_the_deploying_login_is_judged()
    {
        if (fixture.SkipReason is { } reason)
        {
            Assert.Skip(reason);
        }

        var token = TestContext.Current.CancellationToken;
        var asGateway = await new SqlServerStoreDiagnostics(new SqlServerCommandRunner(fixture.GatewayOptions())).DiagnoseAsync(token);
        var asDeployer = await new SqlServerStoreDiagnostics(new SqlServerCommandRunner(new SqlServerStoreOptions { ConnectionString = fixture.ConnectionString })).DiagnoseAsync(token);

        Assert.DoesNotContain(asGateway, f => f.Status == FindingStatus.Fail);
        Assert.Equal(FindingStatus.Pass, Assert.Single(asGateway, f => f.Check == "schema version").Status);
        var legacy = Assert.Single(asGateway, f => f.Check.StartsWith("legacy columns and indexes", StringComparison.Ordinal));
        Assert.Equal(FindingStatus.Warn, legacy.Status);
        Assert.Contains("db check", legacy.Fix, StringComparison.Ordinal);
        // The deploying login sees dbo: the columns and indexes are judged (the database settings may warn).
        Assert.DoesNotContain(asDeployer, f => f.Status == FindingStatus.Fail);
        Assert.DoesNotContain(asDeployer, f => f.Detail.Contains("cannot see", StringComparison.Ordinal));
    }
}
