using System.Diagnostics;
using Veritas.Scim.Gateway.Authentication;
using Veritas.Scim.Gateway.Scim;
using Veritas.Scim.Protocol.Errors;
using Veritas.Scim.Protocol.Messages;
using Veritas.Scim.Translation.Diagnostics;

namespace Veritas.Scim.Gateway.Diagnostics;

/// <summary>
/// The span, request metrics and log line of one SCIM operation. Started when the in-process
/// handler takes a request; disposed once the response is written, when the status is known.
/// </summary>
internal sealed class ScimOperationTelemetry : IDisposable
{
    public const string SpanNamePrefix = "scim ";

    private readonly HttpContext _context;
    private readonly ILogger _logger;
    private readonly GatewayMetrics _metrics;
    private readonly string _operation;
    private readonly string _tenantKey;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly Activity? _activity;
    private string? _scimType;

    private ScimOperationTelemetry(HttpContext context, ScimOperationMatch match, ILogger logger)
    {
        _context = context;
        _logger = logger;
        _metrics = context.RequestServices.GetRequiredService<GatewayMetrics>();
        var (resourceType, operation) = (match.ResourceType, match.OperationName);
        _operation = operation;
        _tenantKey = context.User.FindFirst(ScimBearerAuthenticationHandler.TenantClaim)?.Value ?? "unknown";
        _activity = ScimTelemetry.ActivitySource.StartActivity(SpanNamePrefix + operation);
        _activity?.SetTag(ScimTelemetry.TenantTag, _tenantKey);
        _activity?.SetTag(ScimTelemetry.OperationTag, operation);
        _activity?.SetTag(ScimTelemetry.ResourceTypeTag, resourceType);
    }

    /// <summary>Starts the telemetry of a request matched against <see cref="ScimOperations"/>, the one table that names operations.</summary>
    public static ScimOperationTelemetry Start(HttpContext context, ScimOperationMatch match, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(match);
        return new ScimOperationTelemetry(context, match, logger);
    }

    /// <summary>The request was refused with a SCIM error; its scimType goes on the span and the request count.</summary>
    public void Refused(ScimErrorType? scimType) =>
        _scimType = scimType is { } type ? ScimDocuments.ToWireName(type) : null;

    public void Dispose()
    {
        var status = _context.Response.StatusCode;
        _metrics.OperationCompleted(_operation, status, _scimType, Stopwatch.GetElapsedTime(_started));

        if (_activity is not null)
        {
            _activity.SetTag(ScimTelemetry.StatusCodeTag, status);
            if (status >= StatusCodes.Status400BadRequest)
            {
                _activity.SetTag("error.type", status.ToString(System.Globalization.CultureInfo.InvariantCulture));
                if (_scimType is not null)
                {
                    _activity.SetTag(ScimTelemetry.ScimTypeTag, _scimType);
                }
            }

            if (status >= StatusCodes.Status500InternalServerError)
            {
                _activity.SetStatus(ActivityStatusCode.Error);
            }

            _activity.Dispose();
        }

        if (status >= StatusCodes.Status400BadRequest)
        {
            GatewayLog.ScimOperationRefused(_logger, _operation, _tenantKey, status, _scimType ?? "none");
        }
        else
        {
            GatewayLog.ScimOperationCompleted(_logger, _operation, _tenantKey, status);
        }
    }

    /// <summary>The resource type and operation name ("User.create") of a request under <c>/scim/{tenant}/v2/</c>, from <see cref="ScimOperations"/>.</summary>
    public static (string ResourceType, string Operation) Classify(string method, string? rest)
    {
        var match = ScimOperations.Resolve(method, rest);
        return (match.ResourceType, match.OperationName);
    }
}
