namespace Veritas.Scim.Archive.SqlServer.Tests.Deployment;

public sealed class SqlServerSchemaDeployerTests
{
    [Fact]
    public void The_production_plan_never_runs_a_legacy_script()
    {
        var plan = SqlServerSchemaDeployer.PlannedScripts(includeLegacy: false);

        Assert.NotEmpty(plan);
        Assert.DoesNotContain(plan, script => script.Name.StartsWith("legacy.", StringComparison.Ordinal));
    }

    [Fact]
    public void Tables_run_once_and_views_and_procedures_every_time_after_them()
    {
        var plan = SqlServerSchemaDeployer.PlannedScripts(includeLegacy: true);

        Assert.Equal(
            [
                "legacy.0001_Tables.sql", "legacy.0002_FilteredIndexIncludes.sql", "legacy.0900_DevelopmentSeed.sql",
                "scim.migrations.0002_Tables.sql", "scim.migrations.0003_AliasList.sql", "scim.migrations.0004_AliasList_v2.sql", "scim.migrations.0005_GatewayRole.sql",
                "scim.migrations.0006_AuditLogIndexes.sql", "scim.migrations.0007_AuditLog_NoLockEscalation.sql", "scim.migrations.0008_AuditLogUserName.sql", "scim.migrations.0009_UserMapOtherWorkEmails.sql",
            ],
            plan.Where(script => !script.RunAlways).Select(script => script.Name));
        var programmability = plan.Where(script => script.RunAlways).ToList();
        Assert.Equal(19, programmability.Count);
        Assert.All(programmability, script => Assert.StartsWith("scim.programmability.", script.Name, StringComparison.Ordinal));
        Assert.Equal("scim.programmability.0100_vw_ScimUser.sql", programmability[0].Name);
        Assert.True(plan.Select(script => script.RunGroup).SequenceEqual(plan.Select(script => script.RunGroup).Order()));
    }

    [Fact]
    public void The_schema_script_is_left_to_the_deployer_itself()
    {
        Assert.DoesNotContain(SqlServerSchemaDeployer.PlannedScripts(includeLegacy: true), script => script.Name.EndsWith("0001_Schema.sql", StringComparison.Ordinal));
        Assert.Contains("CREATE SCHEMA scim", SqlServerSchemaDeployer.ReadScript("scim.migrations.0001_Schema.sql"), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_view_and_procedure_script_is_rerunnable_and_sets_its_session_options()
    {
        foreach (var script in SqlServerSchemaDeployer.PlannedScripts(includeLegacy: false).Where(s => s.RunAlways))
        {
            var text = SqlServerSchemaDeployer.ReadScript(script.Name);
            if (script.Name.EndsWith("_Grants.sql", StringComparison.Ordinal))
            {
                // GRANT and REVOKE are rerunnable as they are.
                Assert.DoesNotContain("CREATE", text, StringComparison.Ordinal);
                continue;
            }

            Assert.Contains("CREATE OR ALTER ", text, StringComparison.Ordinal);
            if (text.Contains("PROCEDURE", StringComparison.Ordinal))
            {
                Assert.Contains("SET NOCOUNT ON;", text, StringComparison.Ordinal);
                Assert.Contains("SET XACT_ABORT ON;", text, StringComparison.Ordinal);
                Assert.Contains("BEGIN CATCH", text, StringComparison.Ordinal);
                Assert.Contains("THROW;", text, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [InlineData("SELECT 1;\nGO\nSELECT 2;\n", 2)]
    [InlineData("SELECT 1;\r\ngo  -- end\r\nSELECT 2;", 2)]
    [InlineData("SELECT N'GO';\nSELECT 2;", 1)]
    [InlineData("GO\nGO\n", 0)]
    public void Batches_split_on_go_lines_only(string script, int batches) =>
        Assert.Equal(batches, SqlServerSchemaDeployer.Batches(script).Count);

    [Fact]
    public async Task Deploying_to_an_unreachable_server_fails_with_the_driver_error()
    {
        using var log = new StringWriter();
        await Assert.ThrowsAsync<Microsoft.Data.SqlClient.SqlException>(() => SqlServerSchemaDeployer.DeployAsync(
            "Server=tcp:127.0.0.1,1;Database=none;Connect Timeout=1;Encrypt=false",
            includeLegacy: false,
            log,
            TestContext.Current.CancellationToken));
    }

    [Fact]
    public void Every_deployed_script_runs_at_high_deadlock_priority_with_each_of_its_batches_intact()
    {
        var preprocessor = new DeploymentSessionPreprocessor();
        foreach (var script in SqlServerSchemaDeployer.PlannedScripts(includeLegacy: true))
        {
            var original = SqlServerSchemaDeployer.Batches(SqlServerSchemaDeployer.ReadScript(script.Name));
            var processed = SqlServerSchemaDeployer.Batches(preprocessor.Process(SqlServerSchemaDeployer.ReadScript(script.Name)));

            // The setting is a batch of its own: CREATE OR ALTER must stay first in its batch.
            Assert.Equal("SET DEADLOCK_PRIORITY HIGH;", processed[0].Trim());
            Assert.Equal(original.Select(batch => batch.Trim()), processed.Skip(1).Select(batch => batch.Trim()));
        }
    }
}
