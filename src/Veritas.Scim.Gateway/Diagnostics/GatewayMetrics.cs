using System.Diagnostics;
using System.Diagnostics.Metrics;
using Veritas.Scim.Translation.Diagnostics;

namespace Veritas.Scim.Gateway.Diagnostics;

/// <summary>
/// The host's instruments (Meter <see cref="MeterName"/>, made through <see cref="IMeterFactory"/>):
/// SCIM requests by operation and status, their duration, and requests the rate limit refused.
/// </summary>
internal sealed class GatewayMetrics
{
    public const string MeterName = "Veritas.Scim.Gateway";

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _operationDuration;
    private readonly Counter<long> _rateLimited;

    public GatewayMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _requests = meter.CreateCounter<long>(ScimTelemetry.RequestsInstrument, "{request}", "SCIM requests answered, by operation, status code and scimType.");
        _operationDuration = meter.CreateHistogram(
            ScimTelemetry.OperationDurationInstrument,
            "s",
            "Time to answer one SCIM operation, by operation and status code.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MetricBuckets.Seconds });
        _rateLimited = meter.CreateCounter<long>(ScimTelemetry.RateLimitedInstrument, "{request}", "SCIM requests refused with 429 by the per-tenant rate limit.");
        // A scraper sees 0 before the first refusal, not a series that does not exist.
        _rateLimited.Add(0);
    }

    /// <summary>One SCIM operation was answered.</summary>
    public void OperationCompleted(string operation, int statusCode, string? scimType, TimeSpan duration)
    {
        var tags = new TagList
        {
            { ScimTelemetry.OperationTag, operation },
            { ScimTelemetry.StatusCodeTag, statusCode },
        };
        _operationDuration.Record(duration.TotalSeconds, tags);
        tags.Add(ScimTelemetry.ScimTypeTag, scimType ?? "none");
        _requests.Add(1, tags);
    }

    public void RequestRateLimited() => _rateLimited.Add(1);
}
