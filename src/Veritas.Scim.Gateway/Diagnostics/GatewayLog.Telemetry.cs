namespace Veritas.Scim.Gateway.Diagnostics;

/// <summary>Log messages of SCIM operations and readiness: tenant key, operation and status only.</summary>
internal static partial class GatewayLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Debug, Message = "SCIM {Operation} for tenant '{TenantKey}' answered {StatusCode}")]
    public static partial void ScimOperationCompleted(ILogger logger, string operation, string tenantKey, int statusCode);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "SCIM {Operation} for tenant '{TenantKey}' refused with {StatusCode} (scimType {ScimType})")]
    public static partial void ScimOperationRefused(ILogger logger, string operation, string tenantKey, int statusCode, string scimType);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "The archive store is not ready")]
    public static partial void ArchiveNotReady(ILogger logger, Exception exception);
}
