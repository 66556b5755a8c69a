namespace Veritas.Scim.Translation.Archive;

/// <summary>
/// The archive's user store as the translation layer sees it: accounts, aliases and customers,
/// never SCIM JSON. Every method is one database round trip and, when it writes, one transaction
/// that also appends its audit row; only <see cref="ChangeAsync"/> may take a read and a write
/// (a store without a writer of its own).
/// </summary>
/// <remarks>
/// Every call names the customer; no implementation may read or change another customer's rows.
/// Failures the caller must act on are <see cref="ArchiveStoreException"/> with a
/// <see cref="ArchiveStoreError"/>; anything else is an infrastructure fault.
/// </remarks>
public interface IArchiveAccountStore
{
    /// <summary>Creates the account, its archive, its SCIM user map and its aliases (source SCIM).</summary>
    /// <exception cref="ArchiveStoreException">UserNameTaken or AliasTaken; nothing is written.</exception>
    Task<ArchiveAccount> CreateAsync(int customerId, ArchiveAccountState state, AuditContext audit, CancellationToken cancellationToken);

    /// <summary>Reads a live (enabled or disabled, not deleted) account by its VaultEntryId.</summary>
    Task<ArchiveAccount?> GetAsync(int customerId, string vaultEntryId, CancellationToken cancellationToken);

    /// <summary>Finds the live account with this user name, compared case-insensitively.</summary>
    Task<ArchiveAccount?> FindByUserNameAsync(int customerId, string userName, CancellationToken cancellationToken);

    /// <summary>Finds the live account whose SCIM externalId is exactly this value.</summary>
    Task<ArchiveAccount?> FindByExternalIdAsync(int customerId, string externalId, CancellationToken cancellationToken);

    /// <summary>
    /// Finds the live accounts with this work e-mail address, ASCII letters compared
    /// case-insensitively: as primary SMTP address or as one of the other work addresses written
    /// with the account (<see cref="ArchiveAccountState.OtherWorkEmails"/>). The address is ASCII.
    /// </summary>
    Task<IReadOnlyList<ArchiveAccount>> FindByWorkEmailAsync(int customerId, string smtpAddress, CancellationToken cancellationToken);

    /// <summary>
    /// Any other read: one parameterised query over the live accounts, predicate columns from
    /// <see cref="AccountField"/> only, values always as parameters.
    /// </summary>
    Task<ArchiveAccountPage> QueryAsync(int customerId, AccountQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Writes the whole new state if the account is still at <paramref name="expectedVersion"/>;
    /// adds new aliases and releases missing ones in the same transaction. Adopts a pre-existing
    /// account (creates its user map) on its first SCIM write.
    /// </summary>
    /// <param name="asRead">
    /// The account as the caller read it at <paramref name="expectedVersion"/>, when it has it. The
    /// version check makes the row the one read whenever the update runs, so a store may compare
    /// the state with it beforehand and write only what changes: a PATCH of displayName then
    /// leaves the user name, the indexed columns, the user map and the alias rows alone. Alias rows
    /// carry no version, so a change made to them outside SCIM after that read stands rather than
    /// being undone. Ignored unless its id, customer and version are those of the update.
    /// </param>
    /// <exception cref="ArchiveStoreException">NotFound, VersionMismatch, UserNameTaken or AliasTaken; nothing is written.</exception>
    Task<ArchiveAccount> UpdateAsync(int customerId, string vaultEntryId, ArchiveAccountState state, long expectedVersion, AuditContext audit, CancellationToken cancellationToken, ArchiveAccount? asRead = null);

    /// <summary>
    /// Reads the live account, hands it to <paramref name="change"/> and writes the state it
    /// returns as <see cref="UpdateAsync"/> does (nothing when it returns null). The change is
    /// computed from the account as it is when the write is made: the embedded store reads,
    /// changes and writes in one transaction of its writer; a store that cannot writes at the
    /// version read and on a concurrent write reads and changes again (<see cref="OptimisticAccountChange"/>).
    /// </summary>
    /// <param name="change">
    /// May run on another thread and more than once; it must not block. Whatever it throws fails
    /// the call with nothing written.
    /// </param>
    /// <exception cref="ArchiveStoreException">
    /// NotFound, UserNameTaken or AliasTaken, or VersionMismatch when concurrent writes won every
    /// attempt of an optimistic store; nothing is written.
    /// </exception>
    Task<ArchiveAccountChange> ChangeAsync(int customerId, string vaultEntryId, Func<ArchiveAccount, ArchiveAccountState?> change, AuditContext audit, CancellationToken cancellationToken);

    /// <summary>Soft delete: status deleted, aliases released, archive kept.</summary>
    /// <exception cref="ArchiveStoreException">NotFound, or VersionMismatch when <paramref name="expectedVersion"/> is given and stale.</exception>
    Task DeleteAsync(int customerId, string vaultEntryId, long? expectedVersion, AuditContext audit, CancellationToken cancellationToken);
}
