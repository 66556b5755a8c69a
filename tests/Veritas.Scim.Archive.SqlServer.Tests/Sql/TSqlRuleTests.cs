using System.Text.RegularExpressions;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using static Veritas.Scim.Archive.SqlServer.Tests.Sql.ProcedureShapeTests;

namespace Veritas.Scim.Archive.SqlServer.Tests.Sql;

/// <summary>
/// One rule per class of defect that a reading of sql/ against SQL Server's documented behaviour
/// found or could find (sql/README.md, "Rules"), checked on the parsed text of every script, so
/// that none can come back unnoticed. What only a server can show is in SqlServerRealServerTests.
/// </summary>
public sealed partial class TSqlRuleTests(SqlModelFixture sql) : IClassFixture<SqlModelFixture>
{
    /// <summary>What a session must have ON for DML on a table with a filtered index (CREATE INDEX, "Required SET options for filtered indexes"); NUMERIC_ROUNDABORT must be OFF.</summary>
    private static readonly SetOptions FilteredIndexOptionsOn =
        SetOptions.AnsiNulls | SetOptions.AnsiPadding | SetOptions.AnsiWarnings | SetOptions.ArithAbort | SetOptions.ConcatNullYieldsNull | SetOptions.QuotedIdentifier;

    public static TheoryData<string> Procedures { get; } = [.. new SqlModelFixture().Procedures.Keys.Order(StringComparer.Ordinal)];

    public static TheoryData<string> Scripts { get; } = [.. SqlScripts.All.Keys.Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Scripts))]
    public void No_script_turns_off_a_set_option_that_filtered_indexes_need(string script)
    {
        foreach (var set in Statements(script).OfType<PredicateSetStatement>())
        {
            Assert.False(!set.IsOn && (set.Options & FilteredIndexOptionsOn) != 0, $"{script}: {Text(set)} breaks every write to a table with a filtered index (Msg 1934).");
            Assert.False(set.IsOn && set.Options.HasFlag(SetOptions.NumericRoundAbort), $"{script}: {Text(set)} breaks every write to a table with a filtered index (Msg 1934).");
        }
    }

    [Fact]
    public void The_health_check_tests_every_session_option_the_procedures_cannot_fix_themselves()
    {
        // ANSI_NULLS and QUOTED_IDENTIFIER are the module's own (the inspector checks the deployed
        // procedures); ARITHABORT follows ANSI_WARNINGS from compatibility level 90 (required: 130).
        Assert.True(ArchiveSchemaShape.MinimumCompatibilityLevel >= 90);
        var checkedOptions = Find<FunctionCall>(sql.Procedures["scim.usp_Health_Check"])
            .Where(call => call.FunctionName.Value.Equals("SESSIONPROPERTY", StringComparison.OrdinalIgnoreCase))
            .Select(call => Assert.IsType<StringLiteral>(Assert.Single(call.Parameters)).Value)
            .ToHashSet(StringComparer.Ordinal);

        Assert.Equal(["ANSI_PADDING", "ANSI_WARNINGS", "CONCAT_NULL_YIELDS_NULL", "NUMERIC_ROUNDABORT"], checkedOptions.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void No_script_uses_merge_raiserror_or_an_output_clause_a_trigger_would_refuse(string script)
    {
        var statements = Statements(script);
        // MERGE: documented race and trigger defects, and no key-range-free form; RAISERROR: numbers
        // below 50000 and no rethrow; OUTPUT without INTO fails on a table with a trigger (Msg 334),
        // and a production dbo table may have one.
        Assert.Empty(statements.SelectMany(Find<MergeStatement>));
        Assert.Empty(statements.SelectMany(Find<RaiseErrorStatement>));
        Assert.DoesNotContain(statements.SelectMany(Find<DataModificationSpecification>), specification => specification.OutputClause is not null);
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void A_temporary_table_compares_text_by_the_database_collation_not_tempdbs(string script)
    {
        // tempdb's collation is the server's, which may differ from the archive's: a #table column
        // without COLLATE DATABASE_DEFAULT fails every comparison with a dbo column (Msg 468).
        // Table variables and table types take the database's collation already.
        foreach (var table in Statements(script).SelectMany(Find<CreateTableStatement>).Where(t => t.SchemaObjectName.BaseIdentifier.Value.StartsWith('#')))
        {
            foreach (var column in table.Definition.ColumnDefinitions.Where(c => c.DataType is SqlDataTypeReference { SqlDataTypeOption: SqlDataTypeOption.NVarChar or SqlDataTypeOption.VarChar or SqlDataTypeOption.NChar or SqlDataTypeOption.Char }))
            {
                Assert.True(column.Collation?.Value.Equals("DATABASE_DEFAULT", StringComparison.OrdinalIgnoreCase) == true, $"{script}: {table.SchemaObjectName.BaseIdentifier.Value}.{column.ColumnIdentifier.Value} takes tempdb's collation.");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Procedures))]
    public void A_procedure_sets_nocount_and_xact_abort_before_anything_else(string name)
    {
        // XACT_ABORT ON also rolls the transaction back when the client times out (an attention),
        // which would otherwise leave it open with its locks on a pooled connection.
        var statements = sql.Procedures[name].StatementList.Statements;
        var body = Assert.IsType<BeginEndBlockStatement>(Assert.Single(statements)).StatementList.Statements;
        var first = Assert.IsType<PredicateSetStatement>(body[0]);
        var second = Assert.IsType<PredicateSetStatement>(body[1]);
        Assert.True(first is { IsOn: true, Options: SetOptions.NoCount }, $"{name}: {Text(first)}");
        Assert.True(second is { IsOn: true, Options: SetOptions.XactAbort }, $"{name}: {Text(second)}");
    }

    [Theory]
    [MemberData(nameof(Procedures))]
    public void A_catch_block_rolls_back_whatever_is_open_before_it_maps_or_rethrows(string name)
    {
        var procedure = sql.Procedures[name];
        var tryCatch = Assert.Single(Find<TryCatchStatement>(procedure));
        var catchStatements = tryCatch.CatchStatements.Statements;
        Assert.IsType<ThrowStatement>(catchStatements[^1]);
        Assert.Null(((ThrowStatement)catchStatements[^1]).ErrorNumber);
        if (Find<BeginTransactionStatement>(procedure).Count == 0)
        {
            return;
        }

        var rollback = Assert.IsType<IfStatement>(catchStatements[0]);
        Assert.Contains(Text(rollback.Predicate), new[] { "@@TRANCOUNT > 0", "XACT_STATE() <> 0" });
        Assert.IsType<RollbackTransactionStatement>(rollback.ThenStatement);
    }

    [Theory]
    [MemberData(nameof(Procedures))]
    public void A_check_on_a_parameter_does_not_pass_when_the_parameter_is_null(string name)
    {
        // IF @Current <> @Expected is UNKNOWN, so not taken, when @Expected is NULL: the check is
        // skipped. (Inside IF EXISTS a NULL only finds no row, and the NOT NULL column refuses it.)
        var procedure = sql.Procedures[name];
        var parameters = procedure.Parameters.Select(p => p.VariableName.Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var check in Find<IfStatement>(procedure))
        {
            var subqueries = Find<QueryExpression>(check.Predicate);
            var compared = Find<BooleanComparisonExpression>(check.Predicate)
                .Where(comparison => !subqueries.Any(query => comparison.StartOffset >= query.StartOffset && comparison.StartOffset < query.StartOffset + query.FragmentLength))
                .SelectMany(comparison => Find<VariableReference>(comparison))
                .Select(variable => variable.Name)
                .Where(parameters.Contains)
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
            var nullTested = Find<BooleanIsNullExpression>(check.Predicate)
                .SelectMany(test => Find<VariableReference>(test))
                .Select(variable => variable.Name)
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
            Assert.True(compared.IsSubsetOf(nullTested), $"{name}: IF {Text(check.Predicate)} compares a parameter that may be NULL without testing it.");
        }
    }

    [Theory]
    [MemberData(nameof(Procedures))]
    public void A_case_exact_equality_also_compares_lengths(string name)
    {
        // = pads the shorter operand with spaces under every collation, binary ones too: "ab " = "ab".
        var text = Text(sql.Procedures[name]);
        foreach (Match binary in BinaryEquality().Matches(text))
        {
            var lengths = $"DATALENGTH({binary.Groups["column"].Value}) = DATALENGTH({binary.Groups["parameter"].Value})";
            Assert.True(text.Contains(lengths, StringComparison.Ordinal), $"{name}: {binary.Value} without {lengths}.");
        }
    }

    [Fact]
    public void The_audit_log_never_escalates_to_a_table_lock_that_would_stop_every_customers_writes()
    {
        // A prune deletes up to 10 000 rows in one statement; from about 5 000 locks SQL Server
        // would lock the whole table, and every write appends an audit row.
        var options = Scripts.Select(row => row.Data)
            .Where(script => script.StartsWith("scim.migrations.", StringComparison.Ordinal))
            .SelectMany(Statements)
            .OfType<AlterTableSetStatement>()
            .Where(alter => alter.SchemaObjectName.SchemaIdentifier.Value == "scim" && alter.SchemaObjectName.BaseIdentifier.Value == "AuditLog")
            .SelectMany(alter => alter.Options.OfType<LockEscalationTableOption>())
            .ToList();

        Assert.Equal(LockEscalationMethod.Disable, Assert.Single(options).Value);
    }

    private static List<TSqlStatement> Statements(string script)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        var statements = new List<TSqlStatement>();
        foreach (var batch in SqlServerSchemaDeployer.Batches(SqlScripts.All[script]))
        {
            var fragment = (TSqlScript)parser.Parse(new StringReader(batch), out var errors);
            Assert.Empty(errors);
            statements.AddRange(fragment.Batches.SelectMany(b => b.Statements));
        }

        return statements;
    }

    [GeneratedRegex(@"(?<column>[A-Za-z_][\w.]*) = (?<parameter>@\w+) COLLATE Latin1_General_100_BIN2")]
    private static partial Regex BinaryEquality();
}
