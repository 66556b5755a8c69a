namespace Veritas.Scim.Translation.Archive;

/// <summary>
/// A store's own checks for <c>doctor</c>: reachable, schema current, and on SQL Server the
/// login's rights. Unlike <see cref="IArchiveHealthProbe"/> it may take several round trips and
/// says what to do about each finding; it never changes anything.
/// </summary>
public interface IArchiveStoreDiagnostics
{
    Task<IReadOnlyList<Finding>> DiagnoseAsync(CancellationToken cancellationToken);
}

public enum FindingStatus
{
    Pass,
    Warn,
    Fail,
}

/// <summary>One checked fact of a deployment.</summary>
/// <param name="Check">What was checked, in a few words ("store reachable").</param>
/// <param name="Detail">What was found, safe to show (no connection string, no token).</param>
/// <param name="Fix">What to do when it is not a pass.</param>
public sealed record Finding(string Check, FindingStatus Status, string Detail, string? Fix = null);
