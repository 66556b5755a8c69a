namespace Veritas.Scim.Gateway.Diagnostics;

internal static partial class GatewayLog
{
    [LoggerMessage(EventId = 1200, Level = LogLevel.Information, Message = "Pruned {Count} audit rows past the retention period")]
    public static partial void AuditPruned(ILogger logger, long count);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "Pruning the audit trail failed; it is retried at the next interval")]
    public static partial void AuditPruneFailed(ILogger logger, Exception exception);
}
