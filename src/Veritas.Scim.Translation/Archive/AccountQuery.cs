namespace Veritas.Scim.Translation.Archive;

/// <summary>The columns a query may filter or sort on: the only names that reach SQL text.</summary>
public enum AccountField
{
    VaultEntryId,
    UserName,
    ExternalId,
    PrimarySmtpAddress,
    FirstName,
    LastName,
    DisplayName,
    /// <summary>Boolean: AccountStatus = enabled.</summary>
    Active,
    /// <summary>Any live alias address of the account (matches if one alias matches).</summary>
    Alias,
    /// <summary>The stored list of the account's other work addresses: only its presence is asked (<see cref="ArchiveAccountState.OtherWorkEmails"/>).</summary>
    OtherWorkEmails,
    CreatedUtc,
    ModifiedUtc,
}

/// <summary>What a store must know about a field to compare it as SCIM does.</summary>
public static class AccountFields
{
    /// <summary>
    /// The SCIM id and externalId are caseExact (RFC 7643 §3.1): their text comparisons are
    /// binary, every other text field compares case-insensitively.
    /// </summary>
    public static bool IsCaseExact(AccountField field) => field is AccountField.VaultEntryId or AccountField.ExternalId;
}

/// <summary>Comparison operators of SCIM filters, applied to archive columns.</summary>
public enum AccountComparison
{
    Equal,
    NotEqual,
    Contains,
    StartsWith,
    EndsWith,
    Present,
    GreaterThan,
    GreaterThanOrEqual,
    LessThan,
    LessThanOrEqual,
}

/// <summary>
/// A predicate tree over <see cref="AccountField"/>s; text comparisons are case-insensitive but
/// for the <see cref="AccountFields.IsCaseExact">caseExact</see> fields, which compare binary.
/// Every comparison is two-valued: an account without the value does not match it, and so
/// matches its negation.
/// </summary>
public abstract record AccountPredicate;

/// <summary><paramref name="Value"/> is a string, bool or DateTimeOffset (by field), or null for Present.</summary>
public sealed record AccountComparisonPredicate(AccountField Field, AccountComparison Comparison, object? Value) : AccountPredicate;

public sealed record AccountAndPredicate(AccountPredicate Left, AccountPredicate Right) : AccountPredicate;

public sealed record AccountOrPredicate(AccountPredicate Left, AccountPredicate Right) : AccountPredicate;

public sealed record AccountNotPredicate(AccountPredicate Operand) : AccountPredicate;

/// <summary>
/// A page of live accounts. <see cref="StartIndex"/> is 1-based as in SCIM; <see cref="Count"/> 0
/// asks only for the total. Every order is total (a store breaks ties by a key unique among the
/// customer's live accounts), so pages of one order never overlap; without a sort field the order
/// is the store's own (SQLite: VaultEntryId; SQL Server: userName, its per-customer unique index).
/// </summary>
public sealed record AccountQuery(
    AccountPredicate? Filter,
    AccountField? SortBy,
    bool SortDescending,
    int StartIndex,
    int Count)
{
    /// <summary>
    /// The most accounts one query returns, whatever it asks: room for the largest candidate set
    /// the translation layer evaluates in memory, and the one row more that shows it was exceeded.
    /// </summary>
    public const int MaxCount = 10_001;
}

/// <summary>One page and the number of accounts that match in all.</summary>
public sealed record ArchiveAccountPage(int TotalResults, IReadOnlyList<ArchiveAccount> Accounts);
