using System.Data;
using System.Reflection;
using Microsoft.SqlServer.Dac.Model;
using Veritas.Scim.Archive.SqlServer.Execution;
using Veritas.Scim.Archive.SqlServer.Procedures;
using Veritas.Scim.Archive.SqlServer.Querying;
using Veritas.Scim.Archive.SqlServer.Tests.Sql;

namespace Veritas.Scim.Archive.SqlServer.Tests;

/// <summary>
/// What the C# store sends and reads matches sql/: every procedure it calls exists with exactly
/// the parameters it passes (names, compatible types, lengths), and every column it maps is in
/// every result set the procedure returns. A renamed parameter or column on either side fails here.
/// </summary>
public sealed class ProcedureContractTests(SqlModelFixture sql) : IClassFixture<SqlModelFixture>
{
    public static TheoryData<string> CallTypes { get; } = [.. AllCallTypes().Select(type => type.Name)];

    [Fact]
    public void The_model_loads_without_errors() => Assert.Empty(sql.LoadErrors);

    [Fact]
    public void Every_scim_procedure_in_sql_is_called_by_the_store()
    {
        var called = AllCallTypes().Select(ProcedureName).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.Equal(16, called.Count);
        Assert.All(sql.Procedures.Keys, name => Assert.Contains(name, called));
    }

    [Theory]
    [MemberData(nameof(CallTypes))]
    public void The_procedure_exists_with_exactly_the_parameters_the_store_passes(string callTypeName)
    {
        var callType = AllCallTypes().Single(type => type.Name == callTypeName);
        var name = ProcedureName(callType).Split('.');
        var procedure = sql.Get(Procedure.TypeClass, name);
        Assert.True(procedure is not null, $"{ProcedureName(callType)} is not in sql/.");

        var declared = procedure.GetReferenced(Procedure.Parameters).ToDictionary(p => p.Name.Parts[^1], StringComparer.Ordinal);
        var passed = ProcedureParameterBinder.SignatureOf(callType);
        Assert.Equal(declared.Keys.Order(StringComparer.Ordinal), passed.Select(p => "@" + p.Name).Order(StringComparer.Ordinal));

        foreach (var parameter in passed)
        {
            var modelParameter = declared["@" + parameter.Name];
            var dataType = modelParameter.GetReferenced(Parameter.DataType).Single();
            var typeName = string.Join('.', dataType.Name.Parts);
            if (parameter.Declaration.TableTypeName is { } tableType)
            {
                Assert.Equal(tableType, typeName);
                Assert.True(modelParameter.GetProperty<bool>(Parameter.ReadOnly), $"{parameter.Name} must be READONLY.");
                continue;
            }

            Assert.Equal(SqlTypeFor(parameter.Declaration.Type), typeName);
            if (parameter.Declaration.Size == -1)
            {
                Assert.True(modelParameter.GetProperty<bool>(Parameter.IsMax), $"{parameter.Name} must be (max).");
            }
            else if (parameter.Declaration.Size > 0)
            {
                Assert.Equal(parameter.Declaration.Size, modelParameter.GetProperty<int>(Parameter.Length));
            }
        }
    }

    [Theory]
    [MemberData(nameof(CallTypes))]
    public void Every_column_the_store_maps_is_in_every_result_set_of_the_procedure(string callTypeName)
    {
        var callType = AllCallTypes().Single(type => type.Name == callTypeName);
        var procedure = sql.Procedures[ProcedureName(callType)];
        var resultSets = ResultSetReader.Read(procedure.StatementList);
        var rowType = (Type?)callType.GetProperty(nameof(IProcedureCall.ResultRowType), BindingFlags.Public | BindingFlags.Static)!.GetValue(null);

        if (rowType is null)
        {
            Assert.Empty(resultSets);
            return;
        }

        var resultSet = Assert.Single(resultSets);
        Assert.Equal(resultSet.Count, resultSet.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(MappedColumns(rowType), column => Assert.Contains(column, resultSet));
    }

    [Fact]
    public void The_view_has_every_column_the_query_builder_reads_or_filters()
    {
        var view = sql.ColumnsOf(View.TypeClass, View.Columns, "scim", "vw_ScimUser");

        Assert.All(MappedColumns(typeof(AccountRow)), column => Assert.Contains(column, view));
        Assert.All(AccountColumns.KeyColumns, column => Assert.Contains(column, view));
        Assert.All(
            AccountColumns.ByField.Values.Where(c => c.Kind != ColumnKind.Alias),
            column => Assert.Contains(column.Name, view));

        var aliasView = sql.ColumnsOf(View.TypeClass, View.Columns, "scim", "vw_ScimUserAlias");
        Assert.All(
            AccountColumns.ByField.Values.Where(c => c.Kind == ColumnKind.Alias).Select(c => c.Name).Concat(["AccountId"]),
            column => Assert.Contains(column, aliasView));
    }

    [Fact]
    public void The_alias_list_table_type_has_the_columns_the_store_sends_in_order()
    {
        var columns = sql.ColumnsOf(TableType.TypeClass, TableType.Columns, AliasListParameter.TableTypeName.Split('.'));
        Assert.Equal(AliasListParameter.Columns.Select(column => column.Name), columns);
    }

    [Theory]
    [InlineData("scim.usp_User_Create")]
    [InlineData("scim.usp_User_Update")]
    public void Alias_conflicts_are_reported_with_the_message_prefix_the_error_mapper_reads(string procedureName)
    {
        var script = SqlScripts.All.Single(pair => pair.Key.EndsWith(procedureName.Replace("scim.", "", StringComparison.Ordinal) + ".sql", StringComparison.Ordinal)).Value;
        Assert.Contains("THROW 50003", script, StringComparison.Ordinal);
        Assert.Contains("N'" + SqlServerErrorMapper.AliasTakenMessagePrefix + "'", script, StringComparison.Ordinal);
    }

    internal static IReadOnlyList<Type> AllCallTypes() => typeof(IProcedureCall).Assembly.GetTypes()
        .Where(type => type is { IsInterface: false, IsAbstract: false } && typeof(IProcedureCall).IsAssignableFrom(type))
        .OrderBy(type => type.Name, StringComparer.Ordinal)
        .ToList();

    internal static string ProcedureName(Type callType) =>
        (string)callType.GetProperty(nameof(IProcedureCall.ProcedureName), BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;

    private static IEnumerable<string> MappedColumns(Type rowType) =>
        rowType.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).Select(p => p.Name);

    private static string SqlTypeFor(DbType type) => type switch
    {
        DbType.Int32 => "int",
        DbType.Int64 => "bigint",
        DbType.Boolean => "bit",
        DbType.String => "nvarchar",
        DbType.AnsiString => "varchar",
        DbType.Binary => "binary",
        DbType.DateTime2 => "datetime2",
        _ => throw new InvalidOperationException($"No SQL type is agreed for {type}."),
    };
}
