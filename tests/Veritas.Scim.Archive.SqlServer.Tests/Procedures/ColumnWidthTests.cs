using System.Data;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.SqlServer.Dac.Model;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using Veritas.Scim.Archive.SqlServer.Procedures;
using Veritas.Scim.Archive.SqlServer.Tests.Sql;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.SqlServer.Tests.Procedures;

/// <summary>
/// Column widths live in one place, <see cref="ArchiveLimits"/>: every procedure call declares its
/// text and binary parameters by name from it (ProcedureContractTests compares the values with the
/// T-SQL declarations), and the scim tables and the alias list type are exactly that wide.
/// </summary>
public sealed partial class ColumnWidthTests(SqlModelFixture sql) : IClassFixture<SqlModelFixture>
{
    /// <summary>Every text or binary column of the scim tables and types, and the limit it holds.</summary>
    public static TheoryData<string, string, int> ScimColumns { get; } = new()
    {
        { "scim.Tenant", "TenantKey", ArchiveLimits.TenantKey },
        { "scim.TenantToken", "TokenHash", ArchiveLimits.TokenHash },
        { "scim.UserMap", "ExternalId", ArchiveLimits.ExternalId },
        { "scim.UserMap", "OtherWorkEmails", ArchiveLimits.OtherWorkEmails },
        { "scim.AuditLog", "TenantKey", ArchiveLimits.TenantKey },
        { "scim.AuditLog", "Operation", ArchiveLimits.AuditOperation },
        { "scim.AuditLog", "ScimId", ArchiveLimits.VaultEntryId },
        { "scim.AuditLog", "Outcome", ArchiveLimits.AuditOutcome },
        { "scim.AuditLog", "CorrelationId", ArchiveLimits.CorrelationId },
        { "scim.AuditLog", "UserName", ArchiveLimits.UserName },
    };

    private static readonly HashSet<int> Limits = typeof(ArchiveLimits)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(field => field.IsLiteral)
        .Select(field => (int)field.GetRawConstantValue()!)
        .ToHashSet();

    [Fact]
    public void Every_text_or_binary_parameter_of_every_call_has_the_width_of_an_archive_limit()
    {
        foreach (var callType in ProcedureContractTests.AllCallTypes())
        {
            foreach (var parameter in ProcedureParameterBinder.SignatureOf(callType).Where(p => p.Declaration.Type is DbType.String or DbType.AnsiString or DbType.Binary))
            {
                // Size 0 would send no size at all, and the binder's length check would pass anything.
                Assert.True(
                    parameter.Declaration.Size == -1 || Limits.Contains(parameter.Declaration.Size),
                    $"{callType.Name}.{parameter.Name} is declared {parameter.Declaration.Size} wide, which is no ArchiveLimits width.");
            }
        }
    }

    [Fact]
    public void The_procedure_call_sources_spell_every_width_by_its_archive_limit_name()
    {
        var folder = Path.Combine(SqlScripts.RepositoryRoot(), "src", "Veritas.Scim.Archive.SqlServer", "Procedures");
        var declarations = Directory.GetFiles(folder, "*.cs")
            .SelectMany(file => WidthDeclaration().Matches(File.ReadAllText(file)).Select(match => (File: Path.GetFileName(file), Width: match.Groups["width"].Value.Trim())))
            .ToList();

        Assert.NotEmpty(declarations);
        Assert.All(declarations, declaration => Assert.True(
            declaration.Width == "-1" || ArchiveLimitName().IsMatch(declaration.Width),
            $"{declaration.File} declares a width as '{declaration.Width}': name it in ArchiveLimits instead."));
    }

    [Theory]
    [MemberData(nameof(ScimColumns))]
    public void A_scim_column_is_exactly_as_wide_as_its_limit(string table, string column, int limit)
    {
        var columns = ColumnsOf(table);
        Assert.True(columns.TryGetValue(column, out var width), $"{table}.{column} is not in sql/.");
        Assert.Equal(limit, width);
    }

    [Fact]
    public void Every_text_or_binary_column_of_a_scim_table_has_its_limit_listed()
    {
        var listed = ScimColumns.Select(row => (row.Data.Item1, row.Data.Item2)).ToHashSet();
        foreach (var table in sql.Model.GetObjects(DacQueryScopes.UserDefined, Table.TypeClass).Where(t => t.Name.Parts[0] == "scim" && t.Name.Parts[1] != SqlServerSchemaDeployer.JournalTable))
        {
            var name = string.Join('.', table.Name.Parts);
            foreach (var (column, _) in ColumnsOf(name))
            {
                Assert.Contains((name, column), listed);
            }
        }
    }

    [Fact]
    public void The_alias_list_type_holds_an_address_as_wide_as_the_alias_column()
    {
        var type = sql.Get(TableType.TypeClass, AliasListParameter.TableTypeName.Split('.'))!;
        var address = type.GetReferenced(TableType.Columns).Single(c => c.Name.Parts[^1] == "SmtpAddress");
        Assert.Equal(ArchiveLimits.SmtpAddress, address.GetProperty<int>(TableTypeColumn.Length));
        Assert.Equal(ArchiveLimits.SmtpAddress, AliasListParameter.Columns[0].Size);
    }

    [Fact]
    public void Every_operation_and_outcome_a_procedure_audits_is_a_named_one_that_fits_its_column()
    {
        var named = AuditOperations.All.Append(AuditOperations.Succeeded).ToHashSet(StringComparer.Ordinal);
        Assert.All(AuditOperations.All, operation => Assert.InRange(operation.Length, 1, ArchiveLimits.AuditOperation));
        Assert.InRange(AuditOperations.Succeeded.Length, 1, ArchiveLimits.AuditOutcome);

        var audited = sql.Procedures.Values
            .SelectMany(ProcedureShapeTests.Find<InsertStatement>)
            .Where(insert => insert.InsertSpecification.Target is NamedTableReference { SchemaObject.BaseIdentifier.Value: "AuditLog" })
            .SelectMany(ProcedureShapeTests.Find<StringLiteral>)
            .Select(literal => literal.Value)
            .ToList();
        Assert.NotEmpty(audited);
        Assert.All(audited, value => Assert.Contains(value, named));
    }

    /// <summary>Text and binary columns (not max) of a scim table in the model, with their widths.</summary>
    private Dictionary<string, int> ColumnsOf(string table)
    {
        var element = sql.Get(Table.TypeClass, table.Split('.')) ?? throw new InvalidOperationException($"{table} is not in sql/.");
        return element.GetReferenced(Table.Columns)
            .Where(column => column.GetReferenced(Column.DataType).SingleOrDefault()?.Name.Parts[^1] is "nvarchar" or "varchar" or "nchar" or "char" or "binary" or "varbinary")
            .Where(column => !column.GetProperty<bool>(Column.IsMax))
            .ToDictionary(column => column.Name.Parts[^1], column => column.GetProperty<int>(Column.Length), StringComparer.Ordinal);
    }

    [GeneratedRegex(@"ProcedureParameter\(\s*DbType\.(?:String|AnsiString|Binary)\s*,\s*(?<width>[^,)]+)")]
    private static partial Regex WidthDeclaration();

    [GeneratedRegex(@"^ArchiveLimits\.[A-Z][A-Za-z]*$")]
    private static partial Regex ArchiveLimitName();
}
