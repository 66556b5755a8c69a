using System.Security.Cryptography;
using System.Text;
using Veritas.Scim.Archive.SqlServer.Tests.Sql;

namespace Veritas.Scim.Archive.SqlServer.Tests.Deployment;

/// <summary>
/// DbUp journals a run-once script by name and never runs it again, so editing a released script
/// is skipped on every database that has it and the databases drift. sql/journaled-scripts.sha256
/// pins the text of every journaled script; a change must be a new script (see sql/README.md).
/// </summary>
public sealed class JournaledScriptManifestTests
{
    [Fact]
    public void Every_journaled_script_is_pinned_and_none_changed_since_it_was_released()
    {
        var manifest = File.ReadAllLines(Path.Combine(SqlScripts.RepositoryRoot(), "sql", "journaled-scripts.sha256"))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split("  ", 2))
            .ToDictionary(parts => parts[1], parts => parts[0], StringComparer.Ordinal);
        var journaled = SqlServerSchemaDeployer.PlannedScripts(includeLegacy: true)
            .Where(script => !script.RunAlways)
            .Select(script => script.Name)
            .Append("scim.migrations.0001_Schema.sql")
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(journaled, manifest.Keys.Order(StringComparer.Ordinal));
        Assert.All(journaled, name => Assert.True(
            manifest[name] == Sha256(SqlScripts.All[name]),
            $"{name} changed after it was released: databases that ran it will never see the change. Undo the edit and add a new script."));
    }

    [Fact]
    public void The_hash_ignores_line_endings_only()
    {
        Assert.Equal(Sha256("A\nB\n"), Sha256("A\r\nB\r\n"));
        Assert.NotEqual(Sha256("A\nB\n"), Sha256("A\nB \n"));
    }

    private static string Sha256(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.Replace("\r\n", "\n", StringComparison.Ordinal))));
}
