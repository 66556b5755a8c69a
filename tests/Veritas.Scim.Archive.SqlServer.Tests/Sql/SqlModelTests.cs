using Microsoft.SqlServer.Dac.Model;
using Index = Microsoft.SqlServer.Dac.Model.Index;

namespace Veritas.Scim.Archive.SqlServer.Tests.Sql;

/// <summary>
/// Every script under sql/ (legacy and scim) builds one DacFx model without errors or unresolved
/// references. This validates names, types and references, not run-time semantics.
/// </summary>
public sealed class SqlModelTests
{
    [Fact]
    public void Every_embedded_script_is_a_file_under_sql_and_every_file_is_embedded()
    {
        var root = Path.Combine(SqlScripts.RepositoryRoot(), "sql");
        var onDisk = Directory.GetFiles(root, "*.sql", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '.'))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.NotEmpty(onDisk);
        Assert.Equal(onDisk, SqlScripts.All.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void All_scripts_build_one_model_without_errors_or_unresolved_references()
    {
        using var model = SqlModelFactory.Build(out var loadErrors);

        Assert.Empty(loadErrors);
        var problems = SqlModelFactory.ValidationProblems(model);
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void The_model_holds_the_legacy_tables_the_scim_objects_and_the_filtered_unique_indexes()
    {
        using var model = SqlModelFactory.Build(out _);

        string[] tables =
        [
            "dbo.Customer", "dbo.CustomerDomain", "dbo.ArchiveAccount", "dbo.Archive", "dbo.ArchiveAccountAlias",
            "scim.Tenant", "scim.TenantToken", "scim.UserMap", "scim.AuditLog",
        ];
        foreach (var table in tables)
        {
            var parts = table.Split('.');
            Assert.True(model.GetObject(Table.TypeClass, new ObjectIdentifier(parts), DacQueryScopes.UserDefined) is not null, table);
        }

        Assert.NotNull(model.GetObject(View.TypeClass, new ObjectIdentifier("scim", "vw_ScimUser"), DacQueryScopes.UserDefined));
        Assert.NotNull(model.GetObject(TableType.TypeClass, new ObjectIdentifier("scim", "AliasList"), DacQueryScopes.UserDefined));

        var userNameIndex = model.GetObject(Index.TypeClass, new ObjectIdentifier("dbo", "ArchiveAccount", "UX_ArchiveAccount_CustomerId_UserName_Live"), DacQueryScopes.UserDefined);
        Assert.NotNull(userNameIndex);
        Assert.True(userNameIndex.GetProperty<bool>(Index.Unique));
        Assert.Contains("WHERE AccountStatus <> 2", userNameIndex.GetScript(), StringComparison.Ordinal);

        var aliasIndex = model.GetObject(Index.TypeClass, new ObjectIdentifier("dbo", "ArchiveAccountAlias", "UX_ArchiveAccountAlias_CustomerId_SmtpAddress_Live"), DacQueryScopes.UserDefined);
        Assert.NotNull(aliasIndex);
        Assert.True(aliasIndex.GetProperty<bool>(Index.Unique));
        Assert.Contains("WHERE RemovedUtc IS NULL", aliasIndex.GetScript(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_audit_log_keeps_the_user_name_from_migration_0008_with_its_index_and_the_list_procedure_filters_by_it()
    {
        using var model = SqlModelFactory.Build(out var loadErrors);
        Assert.Empty(loadErrors);

        var table = model.GetObject(Table.TypeClass, new ObjectIdentifier("scim", "AuditLog"), DacQueryScopes.UserDefined);
        Assert.NotNull(table);
        var column = Assert.Single(table.GetReferenced(Table.Columns), c => c.Name.Parts[^1] == "UserName");
        Assert.True(column.GetProperty<bool>(Column.Nullable));
        Assert.Equal(256, column.GetProperty<int>(Column.Length));

        var index = model.GetObject(Index.TypeClass, new ObjectIdentifier("scim", "AuditLog", "IX_AuditLog_TenantKey_UserName_AuditId"), DacQueryScopes.UserDefined);
        Assert.NotNull(index);
        Assert.Equal(["TenantKey", "UserName", "AuditId"], index.GetReferenced(Index.Columns).Select(c => c.Name.Parts[^1]));

        var list = model.GetObject(Procedure.TypeClass, new ObjectIdentifier("scim", "usp_Audit_List"), DacQueryScopes.UserDefined);
        Assert.NotNull(list);
        Assert.Contains(list.GetReferenced(Procedure.BodyDependencies), o => o.Name.Parts.SequenceEqual(["scim", "AuditLog", "UserName"]));
    }
}
