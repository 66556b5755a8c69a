namespace Veritas.Scim.Translation.Archive;

/// <summary>
/// Reading and pruning the audit rows that every write procedure appends (scim.AuditLog). Reads
/// are newest first and paged by a continuation (the last row's id), so a page costs the same
/// however long the trail is; pruning deletes in bounded batches, so it never holds the writers up.
/// </summary>
public interface IAuditTrailStore
{
    /// <summary>One page of a tenant's audit rows, newest first.</summary>
    Task<AuditPage> ReadAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>Deletes at most <paramref name="batchSize"/> rows older than <paramref name="cutoff"/>; returns how many went.</summary>
    Task<int> PruneAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken);
}

/// <param name="TenantKey">Whose rows.</param>
/// <param name="ScimId">Only rows of this account (its VaultEntryId), or all; with <see cref="UserName"/>, rows matching either.</param>
/// <param name="Since">Only rows at or after this time, or all.</param>
/// <param name="Operation">Only rows of this operation (create, update, delete, …), or all.</param>
/// <param name="Before">Continuation: only rows older than the row with this id (from <see cref="AuditPage.Continuation"/>).</param>
/// <param name="Limit">Rows per page, 1 to <see cref="MaxLimit"/>.</param>
public sealed record AuditQuery(string TenantKey, string? ScimId, DateTimeOffset? Since, string? Operation, long? Before, int Limit)
{
    public const int MaxLimit = 1000;

    /// <summary>
    /// Only rows written while an account had this userName (compared case-insensitively), so a
    /// deleted or renamed account's history is found by the name it had; with <see cref="ScimId"/>,
    /// rows matching either (what <c>audit --user ID-or-userName</c> asks).
    /// </summary>
    public string? UserName { get; init; }
}

/// <param name="ScimId">The account's SCIM id; null for tenant and token operations.</param>
/// <param name="CorrelationId">The W3C trace id of the request that made the change.</param>
/// <param name="UserName">The account's userName when the row was written; null for tenant and token operations.</param>
public sealed record AuditEntry(long AuditId, string TenantKey, DateTimeOffset OccurredUtc, string Operation, string? ScimId, string Outcome, string? CorrelationId, string? UserName = null);

/// <param name="Continuation">Pass as <see cref="AuditQuery.Before"/> for the next page; null on the last page.</param>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, long? Continuation);

/// <summary>
/// The operation names an audit row carries, the same in every store (the SQL Server procedures
/// write them as literals); a change that did not commit leaves no row, so every row succeeded.
/// </summary>
public static class AuditOperations
{
    public const string CreateUser = nameof(CreateUser);
    public const string UpdateUser = nameof(UpdateUser);
    public const string AdoptUser = nameof(AdoptUser);
    public const string DeleteUser = nameof(DeleteUser);
    public const string AddTenant = nameof(AddTenant);
    public const string AddToken = nameof(AddToken);
    public const string RevokeToken = nameof(RevokeToken);

    public const string Succeeded = nameof(Succeeded);

    public static IReadOnlyList<string> All { get; } = [CreateUser, UpdateUser, AdoptUser, DeleteUser, AddTenant, AddToken, RevokeToken];
}
