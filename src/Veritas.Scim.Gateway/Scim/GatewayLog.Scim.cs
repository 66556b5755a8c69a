namespace Veritas.Scim.Gateway.Diagnostics;

/// <summary>Log messages of the SCIM request surface: route table checks and requests the gateway could not read.</summary>
internal static partial class GatewayLog
{
    [LoggerMessage(EventId = 1200, Level = LogLevel.Information, Message = "SCIM request {Method} ({Operation}) could not be read ({Failure}); answered 4xx or nothing")]
    public static partial void ScimRequestUnreadable(ILogger logger, string method, string operation, string failure);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "Failed authentication limit reached for a client address; answered 429")]
    public static partial void FailedAuthenticationThrottled(ILogger logger);
}
