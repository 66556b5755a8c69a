using Veritas.Scim.Protocol.Errors;
using Veritas.Scim.Protocol.Filtering;
using Veritas.Scim.Protocol.Schemas;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Translation.Users;

/// <summary>How a SCIM filter is answered by the store.</summary>
internal abstract record UserLookup;

/// <summary>
/// One of the indexed single-row procedures Entra's filters map to. It returns every account the
/// filter could match (and maybe more); the evaluator then decides.
/// </summary>
internal sealed record IndexedLookup(AccountField Field, string Value) : UserLookup;

/// <summary>
/// One parameterised query over the adapter's view. When <paramref name="Exact"/>, the predicate
/// means exactly what the filter means and the store pages and counts; otherwise it only narrows
/// (every account the filter matches satisfies it; null narrows nothing) and the evaluator decides
/// over the bounded candidate set.
/// </summary>
internal sealed record PredicateLookup(AccountPredicate? Predicate, bool Exact) : UserLookup;

/// <summary>
/// Turns SCIM filters into store calls (DESIGN.md §6). The filter's meaning is the protocol's
/// <see cref="FilterEvaluator"/>; what reaches the store is an optimisation that must agree with it:
/// <list type="bullet">
/// <item>Entra's equality filters (and <c>and</c>s of them) become indexed single-row lookups.</item>
/// <item>Comparisons the store answers exactly as the evaluator does (caseExact id and externalId
/// compared binary, active, meta timestamps as instants, presence of a column) push down whole,
/// with and/or/not over them, and the store pages.</item>
/// <item>Case-insensitive text comparisons push down only as a superset: the stores fold letter
/// case by their collation (SQLite's NOCASE folds ASCII only; SQL Server's CI collations treat
/// more characters alike), so an ASCII value narrows the candidates and the evaluator decides;
/// anything else (other e-mail addresses, attributes kept only in the user map, ordering of text,
/// <c>ne</c>) is decided by the evaluator alone.</item>
/// </list>
/// </summary>
internal static class UserFilterPlanner
{
    /// <summary>The attributes the archive indexes, for the error that asks a client to use them.</summary>
    public const string IndexedAttributes = "userName eq, externalId eq, id eq, emails[type eq \"work\"].value eq, active, meta.created, meta.lastModified";

    private static readonly ScimResourceSchema User = UserSchemas.Resource;

    /// <summary>A comparison the store cannot use: every account is a candidate.</summary>
    private static readonly Pushed Nothing = new(null, false);

    /// <exception cref="ScimException">400 invalidFilter for an ill-typed comparison, whatever the data.</exception>
    public static UserLookup Plan(Filter? filter)
    {
        if (filter is null)
        {
            return new PredicateLookup(null, Exact: true);
        }

        FilterEvaluator.Validate(filter, User);
        if (FindIndexed(filter) is { } indexed)
        {
            return indexed;
        }

        var pushed = Push(filter);
        return new PredicateLookup(pushed.Predicate, pushed.Exact && pushed.Predicate is not null);
    }

    /// <summary>The archive column a sortBy path sorts on.</summary>
    public static AccountField SortField(AttributePath path) =>
        SortColumn(path) ?? throw ScimException.InvalidValue($"Sorting by '{Describe(path)}' is not supported; sort by userName, displayName, name.givenName, name.familyName, externalId, emails.value, meta.created or meta.lastModified.");

    private static IndexedLookup? FindIndexed(Filter filter) => filter switch
    {
        ComparisonFilter { Operator: ComparisonOperator.Equal, Value: { Kind: FilterLiteralKind.Text, Value: { } value } } comparison
            when FilterColumn(comparison.Path) is { } field
                && (field is AccountField.VaultEntryId || (field is AccountField.UserName && IsAscii(value)))
            => new IndexedLookup(field, value),
        ValuePathFilter valuePath when IsEmails(valuePath.Path) && WorkEmailValue(valuePath.ValueFilter) is { } address && IsAscii(address)
            => new IndexedLookup(AccountField.PrimarySmtpAddress, address),
        AndFilter both => FindIndexed(both.Left) ?? FindIndexed(both.Right),
        _ => null,
    };

    /// <summary><c>type eq "work" and value eq "x"</c> in either order: Entra's work e-mail filter.</summary>
    /// <remarks>
    /// The primary SMTP column holds one work address (the mapper's rule) and the user map the
    /// others, so an account with the work address x is found by the store's work-address lookup.
    /// </remarks>
    /// <remarks>Without the type there is no index: <c>emails[value eq "x"]</c> also means a non-work address.</remarks>
    private static string? WorkEmailValue(Filter inner) => inner switch
    {
        AndFilter { Left: var left, Right: var right } when IsWorkType(left) => EmailValue(right),
        AndFilter { Left: var left, Right: var right } when IsWorkType(right) => EmailValue(left),
        _ => null,
    };

    private static string? EmailValue(Filter filter) => filter is ComparisonFilter { Operator: ComparisonOperator.Equal, Value: { Kind: FilterLiteralKind.Text, Value: { } value } } comparison
        && IsSub(comparison.Path, "value")
            ? value
            : null;

    /// <summary>What of the filter the store can use, and whether it is the whole meaning.</summary>
    private readonly record struct Pushed(AccountPredicate? Predicate, bool Exact);

    private static Pushed Push(Filter filter)
    {
        switch (filter)
        {
            case AndFilter both:
                {
                    var left = Push(both.Left);
                    var right = Push(both.Right);
                    var predicate = (left.Predicate, right.Predicate) switch
                    {
                        (null, var only) => only,
                        (var only, null) => only,
                        var (l, r) => new AccountAndPredicate(l, r),
                    };
                    return new(predicate, left.Exact && right.Exact);
                }

            case OrFilter either:
                {
                    var left = Push(either.Left);
                    var right = Push(either.Right);
                    return left.Predicate is null || right.Predicate is null
                        ? Nothing
                        : new(new AccountOrPredicate(left.Predicate, right.Predicate), left.Exact && right.Exact);
                }

            case NotFilter negation:
                {
                    // The complement of a superset is no superset: only an exact operand negates.
                    var operand = Push(negation.Operand);
                    return operand is { Exact: true, Predicate: { } inner } ? new(new AccountNotPredicate(inner), true) : Nothing;
                }

            case PresentFilter present when FilterColumn(present.Path) is { } field:
                return Present(field);
            case ComparisonFilter comparison when FilterColumn(comparison.Path) is { } field:
                return Compare(field, comparison.Operator, comparison.Value);
            case ValuePathFilter valuePath when IsEmails(valuePath.Path) && WorkEmailValue(valuePath.ValueFilter) is { } address && IsAscii(address):
                // A superset: the primary address is x, or the account has other work addresses
                // (few accounts do; the evaluator decides which of them has x).
                return new(
                    new AccountOrPredicate(
                        new AccountComparisonPredicate(AccountField.PrimarySmtpAddress, AccountComparison.Equal, address),
                        new AccountComparisonPredicate(AccountField.OtherWorkEmails, AccountComparison.Present, null)),
                    false);
            default:
                return Nothing;
        }
    }

    private static Pushed Present(AccountField field) => new(new AccountComparisonPredicate(field, AccountComparison.Present, null), true);

    private static Pushed Compare(AccountField field, ComparisonOperator op, FilterLiteral literal)
    {
        if (literal.Kind == FilterLiteralKind.Null)
        {
            // "eq null" asks for an absent value, "ne null" for a present one.
            var present = Present(field);
            return op == ComparisonOperator.Equal ? new(new AccountNotPredicate(present.Predicate!), true) : present;
        }

        if (op == ComparisonOperator.NotEqual)
        {
            var equal = Compare(field, ComparisonOperator.Equal, literal);
            return equal is { Exact: true, Predicate: { } inner } ? new(new AccountNotPredicate(inner), true) : Nothing;
        }

        switch (field)
        {
            case AccountField.Active:
                // Validated: a boolean, or Entra's "True"/"False".
                var flag = literal.Kind == FilterLiteralKind.Boolean ? literal.Boolean : bool.Parse(literal.Value!);
                return new(new AccountComparisonPredicate(field, AccountComparison.Equal, flag), true);
            case AccountField.CreatedUtc or AccountField.ModifiedUtc:
                return Ordering(op) is { } order && FilterEvaluator.TryParseDateTime(literal.Value, out var instant)
                    ? new(new AccountComparisonPredicate(field, order, instant), true)
                    : Nothing;
            default:
                var text = literal.Value ?? string.Empty;
                var comparison = op switch
                {
                    ComparisonOperator.Equal => AccountComparison.Equal,
                    ComparisonOperator.Contains => AccountComparison.Contains,
                    ComparisonOperator.StartsWith => AccountComparison.StartsWith,
                    ComparisonOperator.EndsWith => AccountComparison.EndsWith,
                    _ => (AccountComparison?)null,
                };
                if (comparison is null)
                {
                    // Text order differs between the stores' collations and the evaluator's.
                    return Nothing;
                }

                var predicate = new AccountComparisonPredicate(field, comparison.Value, text);
                if (AccountFields.IsCaseExact(field))
                {
                    return new(predicate, true);
                }

                return IsAscii(text) ? new(predicate, false) : Nothing;
        }
    }

    private static AccountComparison? Ordering(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equal => AccountComparison.Equal,
        ComparisonOperator.GreaterThan => AccountComparison.GreaterThan,
        ComparisonOperator.GreaterThanOrEqual => AccountComparison.GreaterThanOrEqual,
        ComparisonOperator.LessThan => AccountComparison.LessThan,
        ComparisonOperator.LessThanOrEqual => AccountComparison.LessThanOrEqual,
        _ => null,
    };

    /// <summary>
    /// The columns that hold exactly the value the returned resource shows for a path. Not
    /// <c>emails.value</c>: the column holds the work address only, the others live in the user map.
    /// </summary>
    private static AccountField? FilterColumn(AttributePath path)
    {
        // As the evaluator resolves names: the core schema, then (URN omitted) the extensions.
        var resolved = User.Resolve(path)
            ?? (path.SchemaUrn is null ? User.Extensions.Select(e => User.Resolve(path with { SchemaUrn = e.Id })).FirstOrDefault(r => r is not null) : null);
        if (resolved is null)
        {
            return null;
        }

        if (resolved.IsExtension)
        {
            return resolved.Schema.Id == UserSchemas.VeritasSchemaId && resolved.Attribute.Name == UserSchemas.EmailAliases ? AccountField.Alias : null;
        }

        return (resolved.Attribute.Name, resolved.SubAttribute?.Name) switch
        {
            ("id", null) => AccountField.VaultEntryId,
            ("userName", null) => AccountField.UserName,
            ("externalId", null) => AccountField.ExternalId,
            ("displayName", null) => AccountField.DisplayName,
            ("active", null) => AccountField.Active,
            ("name", "givenName") => AccountField.FirstName,
            ("name", "familyName") => AccountField.LastName,
            ("meta", "created") => AccountField.CreatedUtc,
            ("meta", "lastModified") => AccountField.ModifiedUtc,
            _ => null,
        };
    }

    private static AccountField? SortColumn(AttributePath path) =>
        User.Resolve(path) is { IsExtension: false, Attribute.Name: "emails", SubAttribute: null or { Name: "value" } }
            ? AccountField.PrimarySmtpAddress
            : FilterColumn(path);

    private static bool IsAscii(string value) => System.Text.Ascii.IsValid(value);

    private static bool IsEmails(AttributePath path) => User.Resolve(path) is { IsExtension: false, SubAttribute: null, Attribute.Name: "emails" };

    private static bool IsSub(AttributePath path, string name) =>
        path.SchemaUrn is null && path.SubAttribute is null && string.Equals(path.Name, name, StringComparison.OrdinalIgnoreCase);

    private static bool IsWorkType(Filter filter) =>
        filter is ComparisonFilter { Operator: ComparisonOperator.Equal, Value: { Kind: FilterLiteralKind.Text, Value: { } type } } c
        && IsSub(c.Path, "type")
        && string.Equals(type, "work", StringComparison.OrdinalIgnoreCase);

    private static string Describe(AttributePath path) =>
        (path.SchemaUrn is null ? string.Empty : path.SchemaUrn + ":") + path.Name + (path.SubAttribute is null ? string.Empty : "." + path.SubAttribute);
}
