using System.Data.Common;
using System.Globalization;
using System.Text;
using Dapper;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.Sqlite;

/// <summary>
/// Turns an <see cref="AccountQuery"/> into one parameterised statement that returns a page of
/// live accounts and the total. Column names come only from the fixed map below; every value is a
/// parameter. Each predicate is built to be true or false, never NULL, so that NOT means "does
/// not match" for accounts that lack the attribute.
/// </summary>
internal static class AccountQueryBuilder
{
    /// <summary>The most accounts one page may return, whatever the caller asks.</summary>
    public const int MaxCount = AccountQuery.MaxCount;

    private const string AliasColumn = "l.SmtpAddress";

    private const string ActiveExpression = "(a.AccountStatus = 0)";

    private const string LiveAliasesOfAccount = "FROM ArchiveAccountAlias AS l WHERE l.AccountId = a.AccountId AND l.RemovedUtc IS NULL";

    private enum ValueKind
    {
        /// <summary>Compared case-insensitively (NOCASE, and LIKE, fold ASCII letters).</summary>
        Text,
        /// <summary>SCIM caseExact text (id, externalId): binary, and no LIKE, which would fold case.</summary>
        ExactText,
        Timestamp,
        Boolean,
    }

    public static BuiltAccountQuery Build(int customerId, AccountQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["CustomerId"] = customerId,
            ["Offset"] = Math.Max(0, query.StartIndex - 1),
            ["Count"] = Math.Clamp(query.Count, 0, MaxCount),
        };
        var filter = query.Filter is null ? "1 = 1" : new PredicateWriter(parameters).Write(query.Filter);
        var order = OrderBy(query.SortBy, query.SortDescending);

        // The page reads the live accounts in the requested order and stops after the page; the
        // total is a second, independent count in the same statement. The anchor row carries the
        // total when the page is empty (count 0, or a start index past the end).
        // A required externalId equality drives the query from the user map's index; the unary +
        // keeps SQLite (whose statistics may predate the data) from walking the tenant by id instead.
        var customer = query.Filter is not null && RequiresExternalIdEquality(query.Filter) ? "+a.CustomerId" : "a.CustomerId";
        var where = $"{customer} = @CustomerId AND a.AccountStatus <> 2 AND ({filter})";
        var sql = $"""
            WITH page AS (
                SELECT a.AccountId FROM {AccountRows.From}
                WHERE {where}
                ORDER BY {order}
                LIMIT @Count OFFSET @Offset
            )
            SELECT {AccountRows.Columns},
                (SELECT COUNT(*) FROM {AccountRows.From} WHERE {where}) AS TotalResults
            FROM (SELECT 1) AS anchor
            LEFT JOIN page AS p ON 1 = 1
            LEFT JOIN ArchiveAccount AS a ON a.AccountId = p.AccountId
            LEFT JOIN UserMap AS m ON m.AccountId = a.AccountId
            ORDER BY {order};
            """;
        return new BuiltAccountQuery(sql, parameters);
    }

    private static bool RequiresExternalIdEquality(AccountPredicate predicate) => predicate switch
    {
        AccountAndPredicate and => RequiresExternalIdEquality(and.Left) || RequiresExternalIdEquality(and.Right),
        AccountComparisonPredicate { Field: AccountField.ExternalId, Comparison: AccountComparison.Equal } => true,
        _ => false,
    };

    /// <summary>One result row: the total, and an account unless the page is empty (the anchor row).</summary>
    public static QueryRow MapRow(DbDataReader reader)
        => new(reader.GetInt32(AccountRows.ColumnCount), reader.IsDBNull(0) ? null : AccountRows.Map(reader));

    private static string OrderBy(AccountField? sortBy, bool descending)
    {
        var direction = descending ? "DESC" : "ASC";
        if (sortBy is null or AccountField.VaultEntryId)
        {
            return $"a.VaultEntryId {direction}";
        }

        var key = sortBy.Value switch
        {
            AccountField.Active => ActiveExpression,
            AccountField.Alias => $"(SELECT MIN({AliasColumn}) {LiveAliasesOfAccount})",
            var field => Column(field) + (KindOf(field) == ValueKind.Text ? " COLLATE NOCASE" : string.Empty),
        };

        // Accounts without the attribute come last in ascending order, first in descending order,
        // and the id breaks ties so that pages never overlap.
        var nulls = descending ? "NULLS FIRST" : "NULLS LAST";
        return $"{key} {direction} {nulls}, a.VaultEntryId {direction}";
    }

    /// <summary>The whitelist: the only column names that ever reach SQL text.</summary>
    private static string Column(AccountField field) => field switch
    {
        AccountField.VaultEntryId => "a.VaultEntryId",
        AccountField.UserName => "a.UserName",
        AccountField.ExternalId => "m.ExternalId",
        AccountField.OtherWorkEmails => "m.OtherWorkEmails",
        AccountField.PrimarySmtpAddress => "a.PrimarySmtpAddress",
        AccountField.FirstName => "a.FirstName",
        AccountField.LastName => "a.LastName",
        AccountField.DisplayName => "a.DisplayName",
        AccountField.CreatedUtc => "a.CreatedUtc",
        AccountField.ModifiedUtc => "a.ModifiedUtc",
        AccountField.Alias => AliasColumn,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not a column of the account query."),
    };

    private static ValueKind KindOf(AccountField field) => field switch
    {
        AccountField.Active => ValueKind.Boolean,
        AccountField.CreatedUtc or AccountField.ModifiedUtc => ValueKind.Timestamp,
        _ when AccountFields.IsCaseExact(field) => ValueKind.ExactText,
        _ => ValueKind.Text,
    };

    private sealed class PredicateWriter(Dictionary<string, object?> parameters)
    {
        private int _next;

        public string Write(AccountPredicate predicate) => predicate switch
        {
            AccountAndPredicate and => $"({Write(and.Left)} AND {Write(and.Right)})",
            AccountOrPredicate or => $"({Write(or.Left)} OR {Write(or.Right)})",
            AccountNotPredicate not => $"(NOT {Write(not.Operand)})",
            AccountComparisonPredicate comparison => Compare(comparison),
            _ => throw new ArgumentException("Unknown predicate " + predicate.GetType().Name, nameof(predicate)),
        };

        private string Compare(AccountComparisonPredicate comparison)
        {
            if (comparison.Field == AccountField.Active)
            {
                return CompareActive(comparison);
            }

            if (comparison.Field == AccountField.Alias)
            {
                // One live alias that matches is enough (SCIM's rule for multi-valued attributes).
                var condition = comparison.Comparison == AccountComparison.Present
                    ? string.Empty
                    : " AND " + CompareColumn(AliasColumn, ValueKind.Text, comparison);
                return $"EXISTS (SELECT 1 {LiveAliasesOfAccount}{condition})";
            }

            if (comparison is { Field: AccountField.ExternalId, Comparison: AccountComparison.Equal })
            {
                // Entra's externalId eq: the accounts come from a seek of IX_UserMap_Customer_ExternalId
                // (rowid lookups), not from walking the tenant's accounts in id order.
                return $"a.AccountId IN (SELECT x.AccountId FROM UserMap AS x WHERE x.CustomerId = @CustomerId AND x.ExternalId = {Add(TextValue(comparison))})";
            }

            return CompareColumn(Column(comparison.Field), KindOf(comparison.Field), comparison);
        }

        private string CompareColumn(string column, ValueKind kind, AccountComparisonPredicate comparison)
        {
            var isText = kind is ValueKind.Text or ValueKind.ExactText;
            if (comparison.Comparison == AccountComparison.Present)
            {
                return isText ? $"({column} IS NOT NULL AND {column} <> '')" : $"({column} IS NOT NULL)";
            }

            var collate = kind == ValueKind.Text ? " COLLATE NOCASE" : string.Empty;
            var value = isText ? TextValue(comparison) : TimestampValue(comparison);
            if (kind == ValueKind.ExactText && comparison.Comparison is AccountComparison.Contains or AccountComparison.StartsWith or AccountComparison.EndsWith)
            {
                return ExactSubstring(column, comparison.Comparison, value);
            }

            return comparison.Comparison switch
            {
                AccountComparison.Equal => $"({column} IS NOT NULL AND {column}{collate} = {Add(value)})",
                AccountComparison.NotEqual => $"(NOT ({column} IS NOT NULL AND {column}{collate} = {Add(value)}))",
                AccountComparison.GreaterThan => $"({column} IS NOT NULL AND {column}{collate} > {Add(value)})",
                AccountComparison.GreaterThanOrEqual => $"({column} IS NOT NULL AND {column}{collate} >= {Add(value)})",
                AccountComparison.LessThan => $"({column} IS NOT NULL AND {column}{collate} < {Add(value)})",
                AccountComparison.LessThanOrEqual => $"({column} IS NOT NULL AND {column}{collate} <= {Add(value)})",
                AccountComparison.Contains when kind == ValueKind.Text => Like(column, "%" + EscapeLike(value) + "%"),
                AccountComparison.StartsWith when kind == ValueKind.Text => Like(column, EscapeLike(value) + "%"),
                AccountComparison.EndsWith when kind == ValueKind.Text => Like(column, "%" + EscapeLike(value)),
                _ => throw new ArgumentException($"The comparison {comparison.Comparison} does not apply to {comparison.Field}.", nameof(comparison)),
            };
        }

        private string CompareActive(AccountComparisonPredicate comparison)
        {
            if (comparison.Comparison == AccountComparison.Present)
            {
                return "1 = 1";
            }

            var value = comparison.Value switch
            {
                bool flag => flag,
                string text when bool.TryParse(text, out var flag) => flag,
                _ => throw new ArgumentException("Active compares with a boolean.", nameof(comparison)),
            };
            return comparison.Comparison switch
            {
                AccountComparison.Equal => $"({ActiveExpression} = {Add(value ? 1 : 0)})",
                AccountComparison.NotEqual => $"({ActiveExpression} <> {Add(value ? 1 : 0)})",
                _ => throw new ArgumentException($"The comparison {comparison.Comparison} does not apply to Active.", nameof(comparison)),
            };
        }

        // instr and substr count characters and compare binary, as ordinal comparison does.
        private string ExactSubstring(string column, AccountComparison comparison, string value)
        {
            var parameter = Add(value);
            var test = comparison switch
            {
                AccountComparison.Contains => $"instr({column}, {parameter}) > 0",
                AccountComparison.StartsWith => $"substr({column}, 1, length({parameter})) = {parameter}",
                _ => $"(length({parameter}) = 0 OR substr({column}, -length({parameter})) = {parameter})",
            };
            return $"({column} IS NOT NULL AND {test})";
        }

        // LIKE folds ASCII case like NOCASE does; the pattern is a parameter, its wildcards escaped.
        private string Like(string column, string pattern) => $"({column} IS NOT NULL AND {column} LIKE {Add(pattern)} ESCAPE '\\')";

        private string Add(object value)
        {
            var name = "p" + _next++.ToString(CultureInfo.InvariantCulture);
            parameters[name] = value;
            return "@" + name;
        }

        private static string TextValue(AccountComparisonPredicate comparison)
            => comparison.Value as string
                ?? throw new ArgumentException($"{comparison.Field} compares with a string.", nameof(comparison));

        private static string TimestampValue(AccountComparisonPredicate comparison) => comparison.Value switch
        {
            DateTimeOffset instant => SqliteTimestamps.ToText(instant),
            DateTime dateTime => SqliteTimestamps.ToText(new DateTimeOffset(DateTime.SpecifyKind(dateTime, dateTime.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : dateTime.Kind))),
            string text when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed) => SqliteTimestamps.ToText(parsed),
            _ => throw new ArgumentException($"{comparison.Field} compares with a date and time.", nameof(comparison)),
        };

        private static string EscapeLike(string value)
        {
            var builder = new StringBuilder(value.Length + 4);
            foreach (var character in value)
            {
                if (character is '\\' or '%' or '_')
                {
                    builder.Append('\\');
                }

                builder.Append(character);
            }

            return builder.ToString();
        }
    }
}

/// <summary>The statement and its parameter values (by name, without the @).</summary>
internal sealed record BuiltAccountQuery(string Sql, IReadOnlyDictionary<string, object?> Parameters)
{
    public DynamicParameters ToDapperParameters()
    {
        var dapperParameters = new DynamicParameters();
        foreach (var (name, value) in Parameters)
        {
            dapperParameters.Add(name, value);
        }

        return dapperParameters;
    }
}

/// <summary>A row of the page query.</summary>
internal sealed record QueryRow(int TotalResults, ArchiveAccount? Account);
