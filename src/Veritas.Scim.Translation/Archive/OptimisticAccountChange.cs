namespace Veritas.Scim.Translation.Archive;

/// <summary>
/// <see cref="IArchiveAccountStore.ChangeAsync"/> for a store that cannot read and write in one
/// call: read, change, write at the version read; when someone else wrote in between
/// (VersionMismatch), read and change again, at most <see cref="MaxAttempts"/> times.
/// </summary>
public static class OptimisticAccountChange
{
    /// <summary>A change that meets a concurrent write re-reads and re-applies at most this often.</summary>
    public const int MaxAttempts = 3;

    /// <exception cref="ArchiveStoreException">
    /// NotFound, UserNameTaken, AliasTaken, or VersionMismatch when every attempt met a concurrent write; nothing is written.
    /// </exception>
    public static async Task<ArchiveAccountChange> RunAsync(
        IArchiveAccountStore store,
        int customerId,
        string vaultEntryId,
        Func<ArchiveAccount, ArchiveAccountState?> change,
        AuditContext audit,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(change);
        for (var attempt = 1; ; attempt++)
        {
            var current = await store.GetAsync(customerId, vaultEntryId, cancellationToken).ConfigureAwait(false)
                ?? throw ArchiveStoreException.AccountNotFound(vaultEntryId);
            if (change(current) is not { } state)
            {
                return new ArchiveAccountChange(current, null, null);
            }

            try
            {
                var written = await store.UpdateAsync(customerId, vaultEntryId, state, current.Version, audit, cancellationToken, asRead: current).ConfigureAwait(false);
                return new ArchiveAccountChange(current, state, written);
            }
            catch (ArchiveStoreException exception) when (exception.Error == ArchiveStoreError.VersionMismatch && attempt < MaxAttempts)
            {
                // Someone else wrote between the read and the write: start again from their state.
            }
        }
    }
}
