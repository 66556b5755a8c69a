using System.Data;
using System.Globalization;
using System.Text;
using Veritas.Scim.Archive.SqlServer.Procedures;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.SqlServer.Querying;

/// <summary>A value sent with the query; never part of its text.</summary>
internal sealed record QueryParameter(string Name, object? Value, DbType Type, int? Size);

/// <summary>The text and parameters of one query; text holds whitelisted names only.</summary>
internal sealed record BuiltQuery(string Sql, IReadOnlyList<QueryParameter> Parameters);

/// <summary>
/// The only SQL text the store builds: one batch over the scim views (never a dbo object: it runs
/// ad hoc, where no ownership chain applies, as the least-privilege role) for an
/// <see cref="AccountQuery"/>, with two result sets (the total, then the page) so that it is one
/// round trip. Column names come from <see cref="AccountColumns"/> only; every value is a parameter.
/// </summary>
/// <remarks>
/// Comparisons are two-valued: an absent (null) attribute does not equal anything, so
/// <c>not (x eq "v")</c> and <c>x ne "v"</c> match accounts without x, as SCIM expects.
/// </remarks>
internal sealed class AccountQueryBuilder
{
    public const string OperationName = "query_accounts";
    public const string CustomerIdParameter = "CustomerId";
    public const string OffsetParameter = "Offset";
    public const string CountParameter = "Count";
    public const string TotalColumn = "TotalResults";

    /// <summary>
    /// A plan per execution: one customer has ten accounts and the next a hundred thousand, and
    /// a cached plan compiled for the first would scan for the second. The compile costs less
    /// than a wrong plan, and these queries are the rare ones (Entra's lookups are procedures).
    /// </summary>
    public const string Recompile = " OPTION (RECOMPILE)";

    /// <summary>
    /// The whole order without sortBy, and the tie-break of every other order: the user name is
    /// unique among a customer's live accounts (UX_ArchiveAccount_CustomerId_UserName_Live, keyed
    /// (CustomerId, UserName) and filtered on exactly the view's AccountStatus &lt;&gt; 2), so the order
    /// is total and pages never overlap, and a page is an ordered range seek inside the customer's
    /// keys that stops after the page. VaultEntryId is unique too, but only globally
    /// (UQ_ArchiveAccount_VaultEntryId has no CustomerId): ordering by it sorted all of a
    /// customer's accounts, after a key lookup each, on every page.
    /// </summary>
    public const string UniqueOrderColumn = "UserName";

    private static readonly string SelectList = string.Join(
        ", ",
        typeof(AccountRow).GetProperties().Select(property => "u." + property.Name));

    private const string BinaryCollation = "Latin1_General_100_BIN2";

    private readonly List<QueryParameter> _parameters = [];
    private readonly StringBuilder _where = new();

    private AccountQueryBuilder()
    {
    }

    public static BuiltQuery Build(int customerId, AccountQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var builder = new AccountQueryBuilder();
        builder._parameters.Add(new QueryParameter(CustomerIdParameter, customerId, DbType.Int32, null));
        builder._where.Append("u.CustomerId = @").Append(CustomerIdParameter);
        if (query.Filter is not null)
        {
            builder._where.Append(" AND ");
            builder.AppendPredicate(query.Filter);
        }

        return builder.Finish(query);
    }

    private BuiltQuery Finish(AccountQuery query)
    {
        var sql = new StringBuilder()
            .Append("SELECT COUNT(*) AS ").Append(TotalColumn)
            .Append(" FROM ").Append(AccountColumns.ViewName).Append(" AS u WHERE ").Append(_where).Append(Recompile).Append(';');

        var count = Math.Max(query.Count, 0);
        if (count > 0)
        {
            sql.Append('\n')
                .Append("SELECT ").Append(SelectList)
                .Append(" FROM ").Append(AccountColumns.ViewName).Append(" AS u WHERE ").Append(_where)
                .Append(" ORDER BY ");
            if (query.SortBy is { } sortField)
            {
                var column = ColumnFor(sortField);
                if (column.Kind == ColumnKind.Alias)
                {
                    throw new ArgumentException("Accounts cannot be sorted by alias.", nameof(query));
                }

                var direction = query.SortDescending ? "DESC" : "ASC";
                if (column.Nullable)
                {
                    // SCIM orders accounts without the value last when ascending, first when descending.
                    sql.Append("CASE WHEN u.").Append(column.Name).Append(" IS NULL THEN 1 ELSE 0 END ").Append(direction).Append(", ");
                }

                sql.Append("u.").Append(column.Name).Append(' ').Append(direction);
                if (!IsUniquePerCustomer(column))
                {
                    sql.Append(", u.").Append(UniqueOrderColumn).Append(' ').Append(direction);
                }
            }
            else
            {
                sql.Append("u.").Append(UniqueOrderColumn).Append(" ASC");
            }

            sql.Append(" OFFSET @").Append(OffsetParameter)
                .Append(" ROWS FETCH NEXT @").Append(CountParameter).Append(" ROWS ONLY").Append(Recompile).Append(';');
            _parameters.Add(new QueryParameter(OffsetParameter, Math.Max(query.StartIndex, 1) - 1, DbType.Int32, null));
            _parameters.Add(new QueryParameter(CountParameter, count, DbType.Int32, null));
        }

        return new BuiltQuery(sql.ToString(), _parameters);
    }

    private void AppendPredicate(AccountPredicate predicate)
    {
        switch (predicate)
        {
            case AccountAndPredicate and:
                _where.Append('(');
                AppendPredicate(and.Left);
                _where.Append(" AND ");
                AppendPredicate(and.Right);
                _where.Append(')');
                break;
            case AccountOrPredicate or:
                _where.Append('(');
                AppendPredicate(or.Left);
                _where.Append(" OR ");
                AppendPredicate(or.Right);
                _where.Append(')');
                break;
            case AccountNotPredicate not:
                _where.Append("(NOT ");
                AppendPredicate(not.Operand);
                _where.Append(')');
                break;
            case AccountComparisonPredicate comparison:
                AppendComparison(comparison);
                break;
            default:
                throw new ArgumentException($"Unknown predicate {predicate.GetType().Name}.", nameof(predicate));
        }
    }

    private void AppendComparison(AccountComparisonPredicate comparison)
    {
        var column = ColumnFor(comparison.Field);
        if (comparison.Comparison == AccountComparison.NotEqual)
        {
            _where.Append("(NOT ");
            AppendComparison(comparison with { Comparison = AccountComparison.Equal });
            _where.Append(')');
            return;
        }

        if (column.Kind == ColumnKind.Alias)
        {
            // The view holds live aliases only, and u is already the customer's: AccountId scopes it.
            _where.Append("EXISTS (SELECT 1 FROM ").Append(AccountColumns.AliasViewName).Append(" AS al WHERE al.AccountId = u.AccountId");
            if (comparison.Comparison != AccountComparison.Present)
            {
                _where.Append(" AND ");
                AppendTest("al." + column.Name, ColumnKind.Text, comparison);
            }

            _where.Append(')');
            return;
        }

        var qualified = "u." + column.Name;
        if (comparison.Comparison == AccountComparison.Present)
        {
            _where.Append(column switch
            {
                { Nullable: false } => "(1 = 1)",
                { Kind: ColumnKind.Text } => $"({qualified} IS NOT NULL AND {qualified} <> N'')",
                _ => $"({qualified} IS NOT NULL)",
            });
            return;
        }

        if (column.Nullable)
        {
            _where.Append('(').Append(qualified).Append(" IS NOT NULL AND ");
            AppendTest(qualified, column.Kind, comparison);
            _where.Append(')');
        }
        else
        {
            AppendTest(qualified, column.Kind, comparison);
        }
    }

    private void AppendTest(string qualifiedColumn, ColumnKind kind, AccountComparisonPredicate comparison)
    {
        var op = comparison.Comparison switch
        {
            AccountComparison.Equal => "=",
            AccountComparison.GreaterThan => ">",
            AccountComparison.GreaterThanOrEqual => ">=",
            AccountComparison.LessThan => "<",
            AccountComparison.LessThanOrEqual => "<=",
            AccountComparison.Contains or AccountComparison.StartsWith or AccountComparison.EndsWith => "LIKE",
            _ => throw new ArgumentException($"Comparison {comparison.Comparison} is not a test.", nameof(comparison)),
        };

        var parameter = kind switch
        {
            ColumnKind.Text => TextParameter(comparison),
            ColumnKind.Boolean => BooleanParameter(comparison),
            ColumnKind.Timestamp => TimestampParameter(comparison),
            _ => throw new ArgumentException($"Field {comparison.Field} cannot be compared.", nameof(comparison)),
        };

        AppendOperation(qualifiedColumn, op, parameter, collation: null);
        if (kind == ColumnKind.Text && AccountFields.IsCaseExact(comparison.Field))
        {
            // caseExact (id, externalId): the first test seeks on the column's own collation, the
            // binary one keeps only the exact match, and = would also ignore trailing spaces.
            _where.Append(" AND ");
            AppendOperation(qualifiedColumn, op, parameter, BinaryCollation);
            if (op == "=")
            {
                _where.Append(" AND DATALENGTH(").Append(qualifiedColumn).Append(") = DATALENGTH(@").Append(parameter).Append(')');
            }
        }
    }

    private void AppendOperation(string qualifiedColumn, string op, string parameter, string? collation)
    {
        _where.Append(qualifiedColumn);
        if (collation is not null)
        {
            _where.Append(" COLLATE ").Append(collation);
        }

        _where.Append(' ').Append(op).Append(" @").Append(parameter);
        if (op == "LIKE")
        {
            _where.Append(@" ESCAPE N'\'");
        }
    }

    private string TextParameter(AccountComparisonPredicate comparison)
    {
        if (comparison.Value is not string text)
        {
            throw new ArgumentException($"Field {comparison.Field} compares with a string.", nameof(comparison));
        }

        var value = comparison.Comparison switch
        {
            AccountComparison.Contains => "%" + EscapeLike(text) + "%",
            AccountComparison.StartsWith => EscapeLike(text) + "%",
            AccountComparison.EndsWith => "%" + EscapeLike(text),
            _ => text,
        };

        // A fixed size keeps one cached plan per query shape instead of one per value length.
        return AddParameter(value, DbType.String, value.Length <= 4000 ? 4000 : -1);
    }

    private string BooleanParameter(AccountComparisonPredicate comparison)
    {
        if (comparison.Comparison != AccountComparison.Equal || comparison.Value is not bool flag)
        {
            throw new ArgumentException($"Field {comparison.Field} only compares for equality with a boolean.", nameof(comparison));
        }

        return AddParameter(flag, DbType.Boolean, null);
    }

    private string TimestampParameter(AccountComparisonPredicate comparison)
    {
        var utc = comparison.Value switch
        {
            DateTimeOffset offset => offset.UtcDateTime,
            DateTime { Kind: DateTimeKind.Utc } dateTime => dateTime,
            _ => throw new ArgumentException($"Field {comparison.Field} compares with a DateTimeOffset.", nameof(comparison)),
        };

        if (comparison.Comparison is AccountComparison.Contains or AccountComparison.StartsWith or AccountComparison.EndsWith)
        {
            throw new ArgumentException($"Field {comparison.Field} does not support {comparison.Comparison}.", nameof(comparison));
        }

        return AddParameter(DateTime.SpecifyKind(utc, DateTimeKind.Unspecified), DbType.DateTime2, null);
    }

    private string AddParameter(object value, DbType type, int? size)
    {
        var name = "p" + (_parameters.Count - 1).ToString(CultureInfo.InvariantCulture);
        _parameters.Add(new QueryParameter(name, value, type, size));
        return name;
    }

    /// <summary>A column that alone orders a customer's live accounts totally (needs no tie-break).</summary>
    private static bool IsUniquePerCustomer(AccountColumn column) =>
        column.Name is UniqueOrderColumn || column == AccountColumns.ByField[AccountField.VaultEntryId];

    private static AccountColumn ColumnFor(AccountField field) =>
        AccountColumns.ByField.TryGetValue(field, out var column)
            ? column
            : throw new ArgumentOutOfRangeException(nameof(field), field, "The field is not in the whitelist.");

    private static string EscapeLike(string text) => text
        .Replace(@"\", @"\\", StringComparison.Ordinal)
        .Replace("%", @"\%", StringComparison.Ordinal)
        .Replace("_", @"\_", StringComparison.Ordinal)
        .Replace("[", @"\[", StringComparison.Ordinal);
}
