namespace Veritas.Scim.Translation.Archive;

/// <summary>
/// The store is shedding load (its circuit breaker is open after repeated transient failures):
/// the request was not attempted. The host answers 503 with <c>Retry-After</c>.
/// </summary>
public sealed class ArchiveStoreUnavailableException : Exception
{
    public ArchiveStoreUnavailableException(string message, TimeSpan retryAfter, Exception? innerException = null)
        : base(message, innerException)
    {
        RetryAfter = retryAfter;
    }

    public ArchiveStoreUnavailableException()
        : this("The archive store is unavailable.", TimeSpan.FromSeconds(30))
    {
    }

    public ArchiveStoreUnavailableException(string message)
        : this(message, TimeSpan.FromSeconds(30))
    {
    }

    public ArchiveStoreUnavailableException(string message, Exception innerException)
        : this(message, TimeSpan.FromSeconds(30), innerException)
    {
    }

    /// <summary>How long the caller should wait before trying again.</summary>
    public TimeSpan RetryAfter { get; }
}
