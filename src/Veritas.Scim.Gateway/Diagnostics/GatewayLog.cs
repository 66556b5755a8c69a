namespace Veritas.Scim.Gateway.Diagnostics;

/// <summary>The gateway's log messages. None carries a token, an e-mail address or a user name.</summary>
internal static partial class GatewayLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Error, Message = "SCIM request {Method} {Route} failed unexpectedly")]
    public static partial void ScimRequestFailed(ILogger logger, Exception exception, string method, string route);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Created the demo tenant '{TenantKey}' for customer {CustomerId}")]
    public static partial void DemoTenantCreated(ILogger logger, string tenantKey, int customerId);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Rate limit reached for a SCIM tenant; answered 429")]
    public static partial void RateLimited(ILogger logger);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Archive store: {Store}")]
    public static partial void StoreSelected(ILogger logger, string store);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Error, Message = "SCIM route '{RouteId}' ran without the scim-tenant authorization policy; answered 503")]
    public static partial void ScimRouteWithoutTenantPolicy(ILogger logger, string routeId);
}
