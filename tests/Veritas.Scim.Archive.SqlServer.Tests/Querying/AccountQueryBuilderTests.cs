using System.Data;
using System.Text.RegularExpressions;
using CsCheck;
using Microsoft.SqlServer.Dac.Model;
using Veritas.Scim.Archive.SqlServer.Procedures;
using Veritas.Scim.Archive.SqlServer.Querying;
using Veritas.Scim.Archive.SqlServer.Tests.Sql;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.SqlServer.Tests.Querying;

public sealed partial class AccountQueryBuilderTests
{
    private const string Hostile = "x'; DROP TABLE dbo.Customer; -- ]]\"";

    // (userName sw "a" and not (displayName co HOSTILE)) or (active eq true and alias ew "@b.example") or meta.created gt T
    private static readonly AccountPredicate Nested = new AccountOrPredicate(
        new AccountOrPredicate(
            new AccountAndPredicate(
                new AccountComparisonPredicate(AccountField.UserName, AccountComparison.StartsWith, "a"),
                new AccountNotPredicate(new AccountComparisonPredicate(AccountField.DisplayName, AccountComparison.Contains, Hostile))),
            new AccountAndPredicate(
                new AccountComparisonPredicate(AccountField.Active, AccountComparison.Equal, true),
                new AccountComparisonPredicate(AccountField.Alias, AccountComparison.EndsWith, "@b.example"))),
        new AccountComparisonPredicate(AccountField.CreatedUtc, AccountComparison.GreaterThan, new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(2))));

    [Fact]
    public void A_nested_predicate_becomes_whitelisted_columns_and_numbered_parameters()
    {
        var query = AccountQueryBuilder.Build(42, new AccountQuery(Nested, AccountField.DisplayName, SortDescending: true, StartIndex: 11, Count: 5));

        Assert.Equal(
            "(((u.UserName LIKE @p0 ESCAPE N'\\' AND (NOT (u.DisplayName IS NOT NULL AND u.DisplayName LIKE @p1 ESCAPE N'\\'))) OR "
            + "(u.Active = @p2 AND EXISTS (SELECT 1 FROM scim.vw_ScimUserAlias AS al WHERE al.AccountId = u.AccountId AND al.SmtpAddress LIKE @p3 ESCAPE N'\\'))) OR "
            + "u.CreatedUtc > @p4)",
            WhereOf(query.Sql));
        Assert.Contains("ORDER BY CASE WHEN u.DisplayName IS NULL THEN 1 ELSE 0 END DESC, u.DisplayName DESC, u.UserName DESC OFFSET @Offset ROWS FETCH NEXT @Count ROWS ONLY OPTION (RECOMPILE);", query.Sql, StringComparison.Ordinal);

        Assert.Equal(
            [
                ("CustomerId", (object?)42, DbType.Int32),
                ("p0", "a%", DbType.String),
                ("p1", "%" + Hostile + "%", DbType.String),
                ("p2", true, DbType.Boolean),
                ("p3", "%@b.example", DbType.String),
                ("p4", new DateTime(2026, 1, 2, 1, 4, 5, DateTimeKind.Unspecified), DbType.DateTime2),
                ("Offset", 10, DbType.Int32),
                ("Count", 5, DbType.Int32),
            ],
            query.Parameters.Select(p => (p.Name, p.Value, p.Type)));
    }

    [Fact]
    public void Like_patterns_escape_the_wildcards_of_the_value()
    {
        var query = AccountQueryBuilder.Build(1, Filter(new AccountComparisonPredicate(AccountField.UserName, AccountComparison.Contains, @"50%_off[1]\x")));
        Assert.Equal(@"%50\%\_off\[1]\\x%", query.Parameters.Single(p => p.Name == "p0").Value);
    }

    [Fact]
    public void Hostile_values_never_reach_the_sql_text()
    {
        var query = AccountQueryBuilder.Build(7, Filter(Nested));
        Assert.DoesNotContain("DROP", query.Sql, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("'; ", query.Sql, StringComparison.Ordinal);
    }

    [Fact]
    public void The_sql_text_depends_on_the_shape_of_the_query_never_on_its_values()
    {
        var text = Gen.String[0, 80];
        Gen.Select(text, text, Gen.Enum<AccountComparison>(), Gen.OneOfConst(AccountField.UserName, AccountField.ExternalId, AccountField.Alias, AccountField.LastName))
            .Where((_, _, comparison, _) => comparison != AccountComparison.Present)
            .Sample((first, second, comparison, field) =>
            {
                var one = AccountQueryBuilder.Build(1, Filter(new AccountComparisonPredicate(field, comparison, first)));
                var other = AccountQueryBuilder.Build(1, Filter(new AccountComparisonPredicate(field, comparison, second)));
                return one.Sql == other.Sql;
            });
    }

    [Fact]
    public void The_sql_text_names_only_whitelisted_columns_and_declared_parameters()
    {
        var query = AccountQueryBuilder.Build(3, new AccountQuery(Nested, AccountField.LastName, false, 1, 10));

        var allowedColumns = AccountColumns.ByField.Values.Select(c => c.Name)
            .Concat(AccountColumns.KeyColumns)
            .Concat(typeof(AccountRow).GetProperties().Select(p => p.Name))
            .ToHashSet(StringComparer.Ordinal);
        var usedColumns = QualifiedColumn().Matches(query.Sql).Select(match => match.Groups["column"].Value).ToList();
        Assert.NotEmpty(usedColumns);
        Assert.All(usedColumns, column => Assert.Contains(column, allowedColumns));

        var declared = query.Parameters.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        Assert.All(ParameterReference().Matches(query.Sql).Select(match => match.Groups["name"].Value), name => Assert.Contains(name, declared));
        // Ad hoc text runs without an ownership chain: it may read only the views the role may SELECT.
        Assert.Equal(AccountColumns.ViewsRead.Order(StringComparer.Ordinal), ObjectReference().Matches(query.Sql).Select(m => m.Value).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_statement_of_every_query_shape_is_compiled_for_its_customer()
    {
        Gen.Select(Gen.Int[0, 3], Gen.Bool, Gen.OneOfConst<AccountField?>(null, AccountField.UserName, AccountField.CreatedUtc))
            .Sample((count, filtered, sortBy) =>
            {
                var sql = AccountQueryBuilder.Build(9, new AccountQuery(filtered ? Nested : null, sortBy, false, 1, count)).Sql;
                var statements = sql.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                return statements.Length == (count > 0 ? 2 : 1) && statements.All(statement => statement.EndsWith("OPTION (RECOMPILE)", StringComparison.Ordinal));
            });
    }

    [Fact]
    public void Count_zero_asks_only_for_the_total()
    {
        var query = AccountQueryBuilder.Build(3, new AccountQuery(null, null, false, 1, 0));

        Assert.Equal("SELECT COUNT(*) AS TotalResults FROM scim.vw_ScimUser AS u WHERE u.CustomerId = @CustomerId OPTION (RECOMPILE);", query.Sql);
        Assert.Equal(["CustomerId"], query.Parameters.Select(p => p.Name));
    }

    [Fact]
    public void Paging_is_one_based_and_without_a_sort_the_order_is_the_customers_unique_user_name_index()
    {
        var query = AccountQueryBuilder.Build(3, new AccountQuery(null, null, false, 0, 100));

        Assert.EndsWith("ORDER BY u.UserName ASC OFFSET @Offset ROWS FETCH NEXT @Count ROWS ONLY OPTION (RECOMPILE);", query.Sql, StringComparison.Ordinal);
        Assert.Equal(0, query.Parameters.Single(p => p.Name == "Offset").Value);
    }

    public static TheoryData<AccountField?, bool> SortOrders { get; } = SortableFields();

    [Theory]
    [MemberData(nameof(SortOrders))]
    public void Every_order_is_total_within_the_customer_and_names_a_nullable_column_only_with_its_null_rank(AccountField? sortBy, bool descending)
    {
        var order = OrderOf(AccountQueryBuilder.Build(3, new AccountQuery(null, sortBy, descending, 1, 10)).Sql);
        var keys = order.Split(", ");
        var direction = descending ? " DESC" : " ASC";

        // Total: the last key is unique among the customer's live accounts (user name) or
        // unique altogether (the id); the user name is never repeated as its own tie-break.
        Assert.Contains(keys[^1], new[] { "u." + AccountQueryBuilder.UniqueOrderColumn, "u.VaultEntryId" }.Select(k => k + (sortBy is null ? " ASC" : direction)));
        Assert.Equal(keys.Length, keys.Distinct(StringComparer.Ordinal).Count());
        if (sortBy is { } field)
        {
            var column = AccountColumns.ByField[field];
            Assert.Equal(column.Nullable, keys[0].StartsWith("CASE WHEN", StringComparison.Ordinal));
            Assert.Contains("u." + column.Name + direction, keys);
        }
        else
        {
            Assert.Equal(["u." + AccountQueryBuilder.UniqueOrderColumn + " ASC"], keys);
        }
    }

    [Fact]
    public void The_unsorted_order_is_an_index_of_the_customer_filtered_as_the_view_and_unique()
    {
        // The order is index-backed per customer only if the unique index the procedures rely on
        // is keyed (CustomerId, order column) and filtered on exactly what the view keeps.
        var index = Assert.Single(ArchiveSchemaShape.Indexes, index =>
            index.Table == ArchiveSchemaShape.Account && index.KeyColumns.SequenceEqual(["CustomerId", AccountQueryBuilder.UniqueOrderColumn]));
        Assert.True(index.Unique);

        var view = ViewWhere(SqlScripts.All.Single(pair => pair.Key.EndsWith("vw_ScimUser.sql", StringComparison.Ordinal)).Value);
        Assert.Equal("a." + index.Filter, view);
        Assert.False(AccountColumns.ByField[AccountField.UserName].Nullable);
    }

    private static TheoryData<AccountField?, bool> SortableFields()
    {
        var data = new TheoryData<AccountField?, bool>();
        foreach (var field in AccountColumns.ByField.Where(pair => pair.Value.Kind != ColumnKind.Alias).Select(pair => (AccountField?)pair.Key).Append(null))
        {
            data.Add(field, false);
            data.Add(field, true);
        }

        return data;
    }

    private static string OrderOf(string sql)
    {
        const string OrderBy = " ORDER BY ";
        var start = sql.IndexOf(OrderBy, StringComparison.Ordinal) + OrderBy.Length;
        return sql[start..sql.IndexOf(" OFFSET @", start, StringComparison.Ordinal)];
    }

    private static string ViewWhere(string script)
    {
        var parsed = (Microsoft.SqlServer.TransactSql.ScriptDom.TSqlScript)new Microsoft.SqlServer.TransactSql.ScriptDom.TSql160Parser(true).Parse(new StringReader(script), out var errors);
        Assert.Empty(errors);
        var view = Assert.IsType<Microsoft.SqlServer.TransactSql.ScriptDom.CreateOrAlterViewStatement>(Assert.Single(parsed.Batches.SelectMany(b => b.Statements)));
        var query = Assert.IsType<Microsoft.SqlServer.TransactSql.ScriptDom.QuerySpecification>(view.SelectStatement.QueryExpression);
        return ProcedureShapeTests.Text(query.WhereClause.SearchCondition);
    }

    [Fact]
    public void Not_equal_and_present_are_two_valued_over_nullable_columns()
    {
        var notEqual = AccountQueryBuilder.Build(1, Filter(new AccountComparisonPredicate(AccountField.ExternalId, AccountComparison.NotEqual, "e")));
        var present = AccountQueryBuilder.Build(1, Filter(new AccountComparisonPredicate(AccountField.ExternalId, AccountComparison.Present, null)));
        var aliasPresent = AccountQueryBuilder.Build(1, Filter(new AccountComparisonPredicate(AccountField.Alias, AccountComparison.Present, null)));

        Assert.Equal("(NOT (u.ExternalId IS NOT NULL AND u.ExternalId = @p0 AND u.ExternalId COLLATE Latin1_General_100_BIN2 = @p0 AND DATALENGTH(u.ExternalId) = DATALENGTH(@p0)))", WhereOf(notEqual.Sql));
        Assert.Equal("(u.ExternalId IS NOT NULL AND u.ExternalId <> N'')", WhereOf(present.Sql));
        Assert.Equal("EXISTS (SELECT 1 FROM scim.vw_ScimUserAlias AS al WHERE al.AccountId = u.AccountId)", WhereOf(aliasPresent.Sql));
    }

    [Fact]
    public void CaseExact_fields_compare_binary_after_the_seek_and_case_insensitive_ones_by_collation()
    {
        var id = AccountQueryBuilder.Build(1, Filter(new AccountComparisonPredicate(AccountField.VaultEntryId, AccountComparison.StartsWith, "ab")));
        var userName = AccountQueryBuilder.Build(1, Filter(new AccountComparisonPredicate(AccountField.UserName, AccountComparison.Equal, "ab")));

        Assert.Equal(@"u.VaultEntryId LIKE @p0 ESCAPE N'\' AND u.VaultEntryId COLLATE Latin1_General_100_BIN2 LIKE @p0 ESCAPE N'\'", WhereOf(id.Sql));
        Assert.Equal("u.UserName = @p0", WhereOf(userName.Sql));
    }

    [Theory]
    [InlineData(AccountField.Active, AccountComparison.GreaterThan, true)]
    [InlineData(AccountField.Active, AccountComparison.Equal, "true")]
    [InlineData(AccountField.UserName, AccountComparison.Equal, 5)]
    [InlineData(AccountField.UserName, AccountComparison.Equal, null)]
    [InlineData(AccountField.CreatedUtc, AccountComparison.Equal, "2026-01-01")]
    public void Values_of_the_wrong_kind_are_refused(AccountField field, AccountComparison comparison, object? value) =>
        Assert.Throws<ArgumentException>(() => AccountQueryBuilder.Build(1, Filter(new AccountComparisonPredicate(field, comparison, value))));

    [Fact]
    public void Sorting_by_alias_is_refused() =>
        Assert.Throws<ArgumentException>(() => AccountQueryBuilder.Build(1, new AccountQuery(null, AccountField.Alias, false, 1, 10)));

    [Fact]
    public void The_built_query_resolves_against_the_model_of_sql()
    {
        var query = AccountQueryBuilder.Build(3, new AccountQuery(Nested, AccountField.ModifiedUtc, false, 1, 10));
        var declarations = string.Join(", ", query.Parameters.Select(p => "@" + p.Name + " " + p.Type switch
        {
            DbType.Int32 => "int",
            DbType.Boolean => "bit",
            DbType.DateTime2 => "datetime2(3)",
            _ => "nvarchar(4000)",
        }));

        using var model = SqlModelFactory.Build(out var loadErrors);
        Assert.Empty(loadErrors);
        model.AddOrUpdateObjects($"CREATE PROCEDURE dbo.zz_built_query {declarations}\nAS\nBEGIN\n{query.Sql}\nEND;", "built-query", new TSqlObjectOptions());
        Assert.NotNull(model.GetObject(Microsoft.SqlServer.Dac.Model.Procedure.TypeClass, new ObjectIdentifier("dbo", "zz_built_query"), DacQueryScopes.UserDefined));
        Assert.Empty(SqlModelFactory.ValidationProblems(model));
    }

    private static AccountQuery Filter(AccountPredicate predicate) => new(predicate, null, false, 1, 10);

    /// <summary>The filter part of the count statement (after the customer scope).</summary>
    private static string WhereOf(string sql)
    {
        const string Scope = "WHERE u.CustomerId = @CustomerId AND ";
        var start = sql.IndexOf(Scope, StringComparison.Ordinal) + Scope.Length;
        var end = sql.IndexOf(AccountQueryBuilder.Recompile + ";", start, StringComparison.Ordinal);
        return sql[start..end];
    }

    [GeneratedRegex(@"\b(?:u|al)\.(?<column>[A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex QualifiedColumn();

    [GeneratedRegex(@"@(?<name>[A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex ParameterReference();

    [GeneratedRegex(@"\b(?:dbo|scim)\.[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex ObjectReference();
}
