namespace Veritas.Scim.Translation.Archive;

/// <summary>
/// Readiness of an archive store: the database answers and the schema the store needs is there.
/// One cheap round trip; the gateway's <c>/readyz</c> asks it.
/// </summary>
public interface IArchiveHealthProbe
{
    /// <summary>Null when ready; otherwise why not, in words safe to show an operator (no connection string).</summary>
    Task<string?> CheckAsync(CancellationToken cancellationToken);
}
