using System.Globalization;
using Veritas.Scim.Protocol.Errors;
using Veritas.Scim.Protocol.Filtering;
using Veritas.Scim.Protocol.Schemas;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Translation.Users;

/// <summary>How a SCIM filter is answered by the store.</summary>
internal abstract record UserLookup;

/// <summary>One of the indexed single-row procedures Entra's filters map to; the whole filter is then checked in memory.</summary>
internal sealed record IndexedLookup(AccountField Field, string Value) : UserLookup;

/// <summary>One parameterised query over the adapter's view.</summary>
internal sealed record PredicateLookup(AccountPredicate? Predicate) : UserLookup;

/// <summary>
/// Turns SCIM filters into store calls (DESIGN.md §6): the equality filters Entra sends become
/// indexed single-row lookups; any other filter becomes an <see cref="AccountPredicate"/> over the
/// whitelisted archive columns. A filter on an attribute the archive has no column for is refused
/// with invalidFilter rather than answered by scanning every account.
/// </summary>
internal static class UserFilterPlanner
{
    private static readonly ScimResourceSchema User = UserSchemas.Resource;

    public static UserLookup Plan(Filter? filter)
    {
        if (filter is null)
        {
            return new PredicateLookup(null);
        }

        return (UserLookup?)FindIndexed(filter) ?? new PredicateLookup(ToPredicate(filter));
    }

    /// <summary>The archive column a sortBy path sorts on.</summary>
    public static AccountField SortField(AttributePath path) =>
        FieldFor(path) ?? throw ScimException.InvalidValue($"Sorting by '{Describe(path)}' is not supported; sort by userName, displayName, name.givenName, name.familyName, externalId, emails.value, meta.created or meta.lastModified.");

    private static IndexedLookup? FindIndexed(Filter filter) => filter switch
    {
        ComparisonFilter { Operator: ComparisonOperator.Equal, Value: { Kind: FilterLiteralKind.Text, Value: { } value } } comparison
            when FieldFor(comparison.Path) is { } field && field is AccountField.VaultEntryId or AccountField.UserName or AccountField.ExternalId or AccountField.PrimarySmtpAddress
            => new IndexedLookup(field, value),
        ValuePathFilter valuePath when IsEmails(valuePath.Path) && WorkEmailValue(valuePath.ValueFilter) is { } address
            => new IndexedLookup(AccountField.PrimarySmtpAddress, address),
        AndFilter both => FindIndexed(both.Left) ?? FindIndexed(both.Right),
        _ => null,
    };

    /// <summary><c>type eq "work" and value eq "x"</c> in either order: Entra's work e-mail filter.</summary>
    private static string? WorkEmailValue(Filter inner) => inner switch
    {
        ComparisonFilter { Operator: ComparisonOperator.Equal, Value: { Kind: FilterLiteralKind.Text, Value: { } value } } c
            when IsSub(c.Path, "value") => value,
        AndFilter { Left: var left, Right: var right } when IsWorkType(left) => WorkEmailValue(right),
        AndFilter { Left: var left, Right: var right } when IsWorkType(right) => WorkEmailValue(left),
        _ => null,
    };

    private static AccountPredicate ToPredicate(Filter filter) => filter switch
    {
        AndFilter both => new AccountAndPredicate(ToPredicate(both.Left), ToPredicate(both.Right)),
        OrFilter either => new AccountOrPredicate(ToPredicate(either.Left), ToPredicate(either.Right)),
        NotFilter negation => new AccountNotPredicate(ToPredicate(negation.Operand)),
        PresentFilter present => new AccountComparisonPredicate(Field(present.Path), AccountComparison.Present, null),
        ComparisonFilter comparison => Compare(Field(comparison.Path), comparison.Operator, comparison.Value),
        ValuePathFilter valuePath when IsEmails(valuePath.Path) => EmailValuePredicate(valuePath.ValueFilter),
        ValuePathFilter valuePath => throw Unsupported(valuePath.Path),
        _ => throw ScimException.InvalidFilter("The filter is not supported."),
    };

    /// <summary>The archive keeps one address per account (the work address): a value filter on emails can only ask about it.</summary>
    private static AccountPredicate EmailValuePredicate(Filter inner) => inner switch
    {
        AndFilter both when IsWorkType(both.Left) => EmailValuePredicate(both.Right),
        AndFilter both when IsWorkType(both.Right) => EmailValuePredicate(both.Left),
        AndFilter both => new AccountAndPredicate(EmailValuePredicate(both.Left), EmailValuePredicate(both.Right)),
        OrFilter either => new AccountOrPredicate(EmailValuePredicate(either.Left), EmailValuePredicate(either.Right)),
        NotFilter negation => new AccountNotPredicate(EmailValuePredicate(negation.Operand)),
        ComparisonFilter c when IsSub(c.Path, "value") => Compare(AccountField.PrimarySmtpAddress, c.Operator, c.Value),
        PresentFilter p when IsSub(p.Path, "value") => new AccountComparisonPredicate(AccountField.PrimarySmtpAddress, AccountComparison.Present, null),
        _ => throw ScimException.InvalidFilter("Within emails[…] only value (and type eq \"work\") can be filtered on."),
    };

    private static AccountPredicate Compare(AccountField field, ComparisonOperator op, FilterLiteral literal)
    {
        if (literal.Kind == FilterLiteralKind.Null)
        {
            // "eq null" asks for an absent value, "ne null" for a present one.
            var present = new AccountComparisonPredicate(field, AccountComparison.Present, null);
            return op switch
            {
                ComparisonOperator.Equal => new AccountNotPredicate(present),
                ComparisonOperator.NotEqual => present,
                _ => throw ScimException.InvalidFilter("null can only be compared with eq or ne."),
            };
        }

        var comparison = op switch
        {
            ComparisonOperator.Equal => AccountComparison.Equal,
            ComparisonOperator.NotEqual => AccountComparison.NotEqual,
            ComparisonOperator.Contains => AccountComparison.Contains,
            ComparisonOperator.StartsWith => AccountComparison.StartsWith,
            ComparisonOperator.EndsWith => AccountComparison.EndsWith,
            ComparisonOperator.GreaterThan => AccountComparison.GreaterThan,
            ComparisonOperator.GreaterThanOrEqual => AccountComparison.GreaterThanOrEqual,
            ComparisonOperator.LessThan => AccountComparison.LessThan,
            _ => AccountComparison.LessThanOrEqual,
        };
        return new AccountComparisonPredicate(field, comparison, Value(field, comparison, literal));
    }

    private static object Value(AccountField field, AccountComparison comparison, FilterLiteral literal)
    {
        switch (field)
        {
            case AccountField.Active:
                if (comparison is not (AccountComparison.Equal or AccountComparison.NotEqual))
                {
                    throw ScimException.InvalidFilter("active is a boolean: only eq and ne apply.");
                }

                return literal.Kind == FilterLiteralKind.Boolean ? literal.Boolean
                    : bool.TryParse(literal.Value, out var parsed) ? parsed
                    : throw ScimException.InvalidFilter("active must be compared with true or false.");
            case AccountField.CreatedUtc or AccountField.ModifiedUtc:
                return DateTimeOffset.TryParse(literal.Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
                    ? time.ToUniversalTime()
                    : throw ScimException.InvalidFilter("meta.created and meta.lastModified must be compared with a date-time such as \"2026-01-31T08:00:00Z\".");
            default:
                return literal.Kind == FilterLiteralKind.Boolean
                    ? throw ScimException.InvalidFilter("A text attribute cannot be compared with a boolean.")
                    : literal.Value ?? string.Empty;
        }
    }

    private static AccountField Field(AttributePath path) => FieldFor(path) ?? throw Unsupported(path);

    private static AccountField? FieldFor(AttributePath path)
    {
        var resolved = User.Resolve(path);
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
            ("emails", null or "value") => AccountField.PrimarySmtpAddress,
            ("meta", "created") => AccountField.CreatedUtc,
            ("meta", "lastModified") => AccountField.ModifiedUtc,
            _ => null,
        };
    }

    private static bool IsEmails(AttributePath path) => User.Resolve(path) is { IsExtension: false, SubAttribute: null, Attribute.Name: "emails" };

    private static bool IsSub(AttributePath path, string name) =>
        path.SchemaUrn is null && path.SubAttribute is null && string.Equals(path.Name, name, StringComparison.OrdinalIgnoreCase);

    private static bool IsWorkType(Filter filter) =>
        filter is ComparisonFilter { Operator: ComparisonOperator.Equal, Value: { Kind: FilterLiteralKind.Text, Value: { } type } } c
        && IsSub(c.Path, "type")
        && string.Equals(type, "work", StringComparison.OrdinalIgnoreCase);

    private static ScimException Unsupported(AttributePath path) =>
        ScimException.InvalidFilter($"Filtering on '{Describe(path)}' is not supported; the archive can filter on id, userName, externalId, displayName, name.givenName, name.familyName, active, emails.value, emailAliases, meta.created and meta.lastModified.");

    private static string Describe(AttributePath path) =>
        (path.SchemaUrn is null ? string.Empty : path.SchemaUrn + ":") + path.Name + (path.SubAttribute is null ? string.Empty : "." + path.SubAttribute);
}
