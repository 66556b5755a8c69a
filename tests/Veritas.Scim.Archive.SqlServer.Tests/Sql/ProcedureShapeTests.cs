using System.Globalization;
using System.Reflection;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using Veritas.Scim.Archive.SqlServer.Procedures;
using Veritas.Scim.Archive.SqlServer.Querying;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.SqlServer.Tests.Sql;

/// <summary>
/// What every procedure must do to be safe on a real server, read from its parsed text
/// (ScriptDom): the lock order of writes, no key-range locks, locking reads that seek, results read before COMMIT,
/// unique violations mapped by statement, error numbers from the one table.
/// </summary>
public sealed class ProcedureShapeTests(SqlModelFixture sql) : IClassFixture<SqlModelFixture>
{
    private const string ResolveToken = "scim.usp_Tenant_ResolveToken";

    public static TheoryData<string> Procedures { get; } = [.. new SqlModelFixture().Procedures.Keys.Order(StringComparer.Ordinal)];

    public static TheoryData<string> TransactionalProcedures { get; } =
        [.. new SqlModelFixture().Procedures.Where(pair => Find<BeginTransactionStatement>(pair.Value).Count > 0).Select(pair => pair.Key).Order(StringComparer.Ordinal)];

    [Fact]
    public void The_write_procedures_are_the_ones_expected()
    {
        Assert.Equal(
            ["scim.usp_Audit_Prune", "scim.usp_Tenant_Add", "scim.usp_Token_Add", "scim.usp_Token_Revoke", "scim.usp_User_Create", "scim.usp_User_Delete", "scim.usp_User_Update"],
            TransactionalProcedures.Select(row => row.Data).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(TransactionalProcedures))]
    public void A_write_takes_its_exclusive_transaction_owned_applock_first_and_stops_when_it_is_not_granted(string name)
    {
        var procedure = sql.Procedures[name];
        var tryBlock = Assert.Single(Find<TryCatchStatement>(procedure));
        var statements = tryBlock.TryStatements.Statements;

        Assert.IsType<BeginTransactionStatement>(statements[0]);
        var lockCall = Assert.IsType<ExecuteStatement>(statements[1]);
        var specification = lockCall.ExecuteSpecification;
        var called = Assert.IsType<ExecutableProcedureReference>(specification.ExecutableEntity).ProcedureReference.ProcedureReference.Name;
        Assert.Equal("sys.sp_getapplock", $"{called.SchemaIdentifier?.Value}.{called.BaseIdentifier.Value}");
        var arguments = specification.ExecutableEntity.Parameters.ToDictionary(p => p.Variable.Name, p => p.ParameterValue, StringComparer.OrdinalIgnoreCase);
        Assert.Equal("Exclusive", Assert.IsType<StringLiteral>(arguments["@LockMode"]).Value);
        Assert.Equal("Transaction", Assert.IsType<StringLiteral>(arguments["@LockOwner"]).Value);
        Assert.Equal("-1", Text(arguments["@LockTimeout"]).Replace(" ", string.Empty, StringComparison.Ordinal));
        var result = specification.Variable?.Name;
        Assert.NotNull(result);

        // The next statement refuses a lock that was not granted, with the shared code.
        var check = Assert.IsType<IfStatement>(statements[2]);
        Assert.Equal($"{result} < 0", Text(check.Predicate));
        Assert.Equal(ArchiveStoreErrorCodes.WriteLockNotGranted, Text(Assert.IsType<ThrowStatement>(check.ThenStatement).ErrorNumber));

        // Accounts lock their customer; tenant and token writes the one tenant lock.
        var resource = Text(arguments["@Resource"]);
        if (name.StartsWith("scim.usp_User_", StringComparison.Ordinal))
        {
            Assert.Equal("@LockResource", resource);
            Assert.Contains(Declarations(procedure), d => d == "@LockResource = CONCAT(N'scim/customer/', @CustomerId)");
        }
        else
        {
            Assert.Equal("N'scim/tenants'", resource);
        }
    }

    [Theory]
    [MemberData(nameof(Procedures))]
    public void No_procedure_takes_key_range_locks_that_could_reach_into_another_customers_keys(string name)
    {
        // A range lock on a missing key locks the next key, at a customer's edge the next
        // customer's (sql/README.md, "Concurrency"); the applock and the unique indexes do its work.
        var procedure = sql.Procedures[name];
        foreach (var table in Find<NamedTableReference>(procedure))
        {
            var hints = table.TableHints.Select(hint => hint.HintKind).ToHashSet();
            Assert.False(
                hints.Overlaps([TableHintKind.HoldLock, TableHintKind.Serializable, TableHintKind.RepeatableRead]),
                $"{name}: {Text(table)} takes key-range or repeatable-read locks.");
        }

        Assert.Empty(Find<SetTransactionIsolationLevelStatement>(procedure));
    }

    [Theory]
    [MemberData(nameof(Procedures))]
    public void Every_locking_read_is_a_forced_seek(string name)
    {
        foreach (var table in Find<NamedTableReference>(sql.Procedures[name]))
        {
            var hints = table.TableHints.Select(hint => hint.HintKind).ToHashSet();
            if (hints.Contains(TableHintKind.UpdLock) || hints.Contains(TableHintKind.XLock))
            {
                Assert.True(hints.Contains(TableHintKind.ForceSeek), $"{name}: {Text(table)} locks what it reads without FORCESEEK, so a scan would lock other customers' rows.");
            }
        }
    }

    [Theory]
    [MemberData(nameof(TransactionalProcedures))]
    public void Every_result_is_selected_inside_the_transaction_before_its_commit(string name)
    {
        var procedure = sql.Procedures[name];
        var begin = Assert.Single(Find<BeginTransactionStatement>(procedure));
        var commit = Assert.Single(Find<CommitTransactionStatement>(procedure));
        var results = Find<SelectStatement>(procedure).Where(IsResultSet).ToList();
        var tryBlock = Assert.Single(Find<TryCatchStatement>(procedure));

        Assert.All(results, select => Assert.True(
            select.StartOffset > begin.StartOffset && select.StartOffset < commit.StartOffset,
            $"{name}: a result is selected outside BEGIN TRANSACTION ... COMMIT, so a timeout after COMMIT would lose it."));
        Assert.DoesNotContain(results, select => select.StartOffset > tryBlock.CatchStatements.StartOffset);
        Assert.Equal(commit, tryBlock.TryStatements.Statements[^1]);
    }

    [Theory]
    [MemberData(nameof(Procedures))]
    public void A_procedure_changes_data_only_inside_its_transaction(string name)
    {
        var procedure = sql.Procedures[name];
        var changes = Find<DataModificationStatement>(procedure).Where(statement => !TargetsTableVariable(statement)).ToList();
        if (name == ResolveToken)
        {
            // Its one change, the use time, is a single atomic UPDATE without a transaction.
            Assert.IsType<UpdateStatement>(Assert.Single(changes));
            Assert.Empty(Find<BeginTransactionStatement>(procedure));
            return;
        }

        var begin = Find<BeginTransactionStatement>(procedure).SingleOrDefault();
        var commit = Find<CommitTransactionStatement>(procedure).SingleOrDefault();
        Assert.True(changes.Count == 0 || (begin is not null && commit is not null), $"{name} changes data without a transaction.");
        Assert.All(changes, change => Assert.InRange(change.StartOffset, begin!.StartOffset, commit!.StartOffset));
    }

    [Fact]
    public void A_call_writes_exactly_when_its_procedure_has_a_transaction()
    {
        foreach (var callType in ProcedureContractTests.AllCallTypes())
        {
            var writes = (bool)callType.GetProperty(nameof(IProcedureCall.Writes), BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
            var procedure = sql.Procedures[ProcedureContractTests.ProcedureName(callType)];
            Assert.True(writes == Find<BeginTransactionStatement>(procedure).Count > 0, $"{callType.Name}.Writes is {writes}.");
        }
    }

    [Fact]
    public void Every_number_thrown_in_sql_is_in_the_store_error_table_and_every_listed_number_is_thrown()
    {
        var thrown = SqlScripts.All.Values
            .SelectMany(SqlServerSchemaDeployer.Batches)
            .SelectMany(batch => Find<ThrowStatement>(Parse(batch)))
            .Where(statement => statement.ErrorNumber is not null)
            .Select(statement => int.Parse(Text(statement.ErrorNumber), CultureInfo.InvariantCulture))
            .ToHashSet();

        Assert.NotEmpty(thrown);
        Assert.Equal(ArchiveStoreErrorCodes.All.Select(code => code.Number).Order(), thrown.Order());
    }

    [Theory]
    [MemberData(nameof(Procedures))]
    public void A_unique_violation_is_mapped_by_the_statement_that_hit_it_never_by_an_index_name(string name)
    {
        var procedure = sql.Procedures[name];
        Assert.DoesNotContain("ERROR_MESSAGE", Text(procedure), StringComparison.OrdinalIgnoreCase);

        var assigned = Find<SetVariableStatement>(procedure)
            .Where(set => set.Variable.Name == "@Writing" && set.Expression is StringLiteral)
            .Select(set => ((StringLiteral)set.Expression).Value)
            .ToHashSet(StringComparer.Ordinal);
        foreach (var mapping in Find<IfStatement>(procedure).Where(statement => Text(statement.Predicate).Contains("2627", StringComparison.Ordinal)))
        {
            var predicate = Text(mapping.Predicate);
            Assert.StartsWith("ERROR_NUMBER() IN (2601, 2627) AND @Writing = N'", predicate, StringComparison.Ordinal);
            Assert.Contains(predicate[(predicate.IndexOf("N'", StringComparison.Ordinal) + 2)..^1], assigned);
        }
    }

    [Theory]
    [InlineData("scim.usp_User_Create")]
    [InlineData("scim.usp_User_Update")]
    public void The_alias_list_is_read_once_and_de_duplicated_by_the_databases_own_comparison(string name)
    {
        var procedure = sql.Procedures[name];
        var parameter = Assert.Single(procedure.Parameters, p => p.VariableName.Value == "@Aliases");
        Assert.Equal(AliasListParameter.TableTypeName, string.Join('.', parameter.DataType.Name.Identifiers.Select(i => i.Value)));

        var reads = Find<VariableTableReference>(procedure).Where(reference => reference.Variable.Name == "@Aliases").ToList();
        var read = Assert.Single(reads);
        var dedupe = Find<InsertStatement>(procedure).Single(insert => insert.StartOffset < read.StartOffset && read.StartOffset < insert.StartOffset + insert.FragmentLength);
        Assert.Equal("@Wanted", Assert.IsType<VariableTableReference>(dedupe.InsertSpecification.Target).Variable.Name);
        Assert.Contains("ROW_NUMBER() OVER (PARTITION BY l.SmtpAddress ORDER BY l.Ordinal)", Text(dedupe), StringComparison.Ordinal);
        Assert.DoesNotContain("COLLATE", Text(dedupe), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_alias_list_type_has_no_key_that_could_refuse_a_call_before_its_try_block()
    {
        var type = SqlScripts.All.Values.SelectMany(SqlServerSchemaDeployer.Batches)
            .SelectMany(batch => Find<CreateTypeTableStatement>(Parse(batch)))
            .Single(statement => $"{statement.Name.SchemaIdentifier.Value}.{statement.Name.BaseIdentifier.Value}" == AliasListParameter.TableTypeName);

        Assert.Empty(type.Definition.TableConstraints);
        Assert.Empty(type.Definition.Indexes);
        Assert.All(type.Definition.ColumnDefinitions, column => Assert.DoesNotContain(column.Constraints, c => c is UniqueConstraintDefinition));
        Assert.Equal(AliasListParameter.Columns.Select(c => c.Name), type.Definition.ColumnDefinitions.Select(c => c.ColumnIdentifier.Value));
    }

    [Fact]
    public void The_role_may_execute_the_schema_and_select_exactly_the_views_the_built_query_reads()
    {
        var script = SqlScripts.All.Single(pair => pair.Key.EndsWith("_GatewayRole_Grants.sql", StringComparison.Ordinal)).Value;
        var statements = SqlServerSchemaDeployer.Batches(script).SelectMany(batch => Find<TSqlStatement>(Parse(batch))).ToList();
        var grants = statements.OfType<GrantStatement>().ToList();

        Assert.All(grants, grant => Assert.Equal("scim_gateway", Assert.Single(grant.Principals).Identifier.Value));
        var granted = grants.Select(grant => (
            Permission: string.Join(',', grant.Permissions.Select(p => string.Join(' ', p.Identifiers.Select(i => i.Value.ToUpperInvariant())))),
            Kind: grant.SecurityTargetObject.ObjectKind,
            Target: string.Join('.', grant.SecurityTargetObject.ObjectName.MultiPartIdentifier.Identifiers.Select(i => i.Value))))
            .ToList();
        Assert.Equal(
            new[] { ("EXECUTE", SecurityObjectKind.Schema, "scim") }
                .Concat(AccountColumns.ViewsRead.Select(view => ("SELECT", SecurityObjectKind.Object, view)))
                .Order(),
            granted.Order());

        // Whatever was granted on the schema by hand is taken back first.
        var revoke = Assert.Single(statements.OfType<RevokeStatement>());
        Assert.Equal(SecurityObjectKind.Schema, revoke.SecurityTargetObject.ObjectKind);
        Assert.Contains("SELECT", Text(revoke), StringComparison.Ordinal);
        Assert.True(revoke.StartOffset < grants.Min(g => g.StartOffset) || SqlServerSchemaDeployer.Batches(script)[0].Contains("REVOKE", StringComparison.Ordinal));
    }

    private static bool IsResultSet(SelectStatement select) =>
        select.Into is null
        && select.QueryExpression is QuerySpecification query
        && !query.SelectElements.OfType<SelectSetVariable>().Any();

    private static bool TargetsTableVariable(DataModificationStatement statement) => statement switch
    {
        InsertStatement insert => insert.InsertSpecification.Target is VariableTableReference,
        _ => false,
    };

    private static IEnumerable<string> Declarations(TSqlFragment procedure) =>
        Find<DeclareVariableStatement>(procedure).SelectMany(d => d.Declarations)
            .Where(d => d.Value is not null)
            .Select(d => $"{d.VariableName.Value} = {Text(d.Value)}");

    private static TSqlFragment Parse(string batch)
    {
        var fragment = new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(batch), out var errors);
        Assert.Empty(errors);
        return fragment;
    }

    internal static string Text(TSqlFragment fragment) =>
        string.Concat(Enumerable.Range(fragment.FirstTokenIndex, fragment.LastTokenIndex - fragment.FirstTokenIndex + 1)
            .Select(i => fragment.ScriptTokenStream[i])
            .Select(token => token.TokenType is TSqlTokenType.WhiteSpace or TSqlTokenType.SingleLineComment ? " " : token.Text))
        .Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries) is var words ? string.Join(' ', words) : string.Empty;

    internal static List<T> Find<T>(TSqlFragment fragment)
        where T : TSqlFragment
    {
        var collector = new Collector<T>();
        fragment.Accept(collector);
        return collector.Found;
    }

    private sealed class Collector<T> : TSqlFragmentVisitor
        where T : TSqlFragment
    {
        public List<T> Found { get; } = [];

        public override void Visit(TSqlFragment fragment)
        {
            if (fragment is T match)
            {
                Found.Add(match);
            }
        }
    }
}
