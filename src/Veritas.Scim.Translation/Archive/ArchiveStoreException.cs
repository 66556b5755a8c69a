namespace Veritas.Scim.Translation.Archive;

/// <summary>The store failures that the caller turns into SCIM answers; their numbers are in <see cref="ArchiveStoreErrorCodes"/>.</summary>
public enum ArchiveStoreError
{
    /// <summary>No live account with that id for that customer (50001).</summary>
    NotFound,
    /// <summary>Another live account of the customer has that user name (50002).</summary>
    UserNameTaken,
    /// <summary>An alias is live on another account of the customer (50003); see <see cref="ArchiveStoreException.Address"/>.</summary>
    AliasTaken,
    /// <summary>The account changed since the version the caller read (50004).</summary>
    VersionMismatch,
    /// <summary>The tenant, customer or token named does not exist (50005).</summary>
    TenantNotFound,
    /// <summary>A tenant with that key exists already (50006).</summary>
    TenantExists,
    /// <summary>A token with that hash exists already (50007).</summary>
    TokenExists,
}

/// <summary>A store failure with a meaning for the caller; the write it reports changed nothing.</summary>
public sealed class ArchiveStoreException : Exception
{
    public ArchiveStoreException(ArchiveStoreError error, string message, string? address = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Error = error;
        Address = address;
    }

    public ArchiveStoreException()
        : this(ArchiveStoreError.NotFound, "The archive account was not found.")
    {
    }

    public ArchiveStoreException(string message)
        : this(ArchiveStoreError.NotFound, message)
    {
    }

    public ArchiveStoreException(string message, Exception innerException)
        : this(ArchiveStoreError.NotFound, message, null, innerException)
    {
    }

    public ArchiveStoreError Error { get; }

    /// <summary>For <see cref="ArchiveStoreError.AliasTaken"/>: the address already in use.</summary>
    public string? Address { get; }

    /// <summary>A missing account: its store outcome, worded alike whichever call finds it missing, so the host answers every one alike.</summary>
    public static ArchiveStoreException AccountNotFound(string vaultEntryId) =>
        new(ArchiveStoreError.NotFound, $"No live account has the id '{vaultEntryId}'.");
}
