using System.Text.Json;
using System.Text.Json.Serialization;

namespace Veritas.Scim.Gateway.Cli.Simulation;

/// <summary>A request whose answer was not what Entra expects: its status (0 when no answer came) and the SCIM error's detail.</summary>
internal sealed record ErrorSample(int Status, string Detail, string? ScimType = null);

internal sealed record LatencyReport(double P50, double P90, double P99, double Max);

/// <summary>
/// One row of the report: one operation of one phase. <see cref="Requests"/> counts requests
/// answered (a request sent again after a 429 counts once); <see cref="Throttled"/> counts the 429s.
/// </summary>
internal sealed record OperationReport(
    string Phase,
    string Operation,
    string Method,
    string Expected,
    int Requests,
    int Errors,
    int Throttled,
    IReadOnlyList<ErrorSample> ErrorSamples,
    double RequestsPerSecond,
    [property: JsonPropertyName("latencyMs")] LatencyReport Latency);

internal sealed record PhaseReport(string Name, int Users, double ElapsedSeconds);

/// <summary>
/// What <c>simulate --json</c> prints. The field names are a contract for scripts: add fields,
/// never rename one.
/// </summary>
internal sealed record SimulationReport(
    string TenantUrl,
    string Prefix,
    int Users,
    int Concurrency,
    string Cycle,
    bool Cleanup,
    int TotalRequests,
    int FailedRequests,
    double ElapsedSeconds,
    IReadOnlyList<PhaseReport> Phases,
    IReadOnlyList<OperationReport> Operations)
{
    public bool Succeeded => FailedRequests == 0;

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);
}
