using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Veritas.Scim.Gateway.Cli.Simulation;

/// <summary>Shows how far a phase is; one tracker per phase.</summary>
internal interface IPhaseProgress
{
    IPhaseTracker Start(SimulationPhase phase, int total);
}

internal interface IPhaseTracker : IDisposable
{
    void Advance();
}

/// <summary>
/// Replays Entra's provisioning cycles against a SCIM endpoint over HTTP only (so it works against
/// any SCIM server): one keep-alive connection pool with one connection per worker, users named
/// with a prefix unique to the run, each request timed and checked against what Entra expects.
/// </summary>
internal sealed class ProvisioningSimulator : IDisposable
{
    private const string ScimMediaType = "application/scim+json";

    /// <summary>Attempts per request when the endpoint answers 429 (each after its Retry-After).</summary>
    public const int MaxAttempts = 10;

    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    private readonly SimulationSettings _settings;
    private readonly HttpClient _client;
    private readonly string _prefix = "sim" + Guid.NewGuid().ToString("N")[..10];
    private readonly ConcurrentDictionary<int, string> _createdIds = new();
    private readonly List<OperationStatistics> _operations = [];
    private readonly List<(SimulationPhase Phase, int Users, TimeSpan Elapsed)> _phases = [];

    public ProvisioningSimulator(SimulationSettings settings, HttpMessageHandler? handler = null)
    {
        _settings = settings;
        handler ??= new SocketsHttpHandler
        {
            MaxConnectionsPerServer = settings.Concurrency,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
            // A proxy in the environment would measure the proxy; point --url at what is to be measured.
            UseProxy = false,
        };
        var baseUri = new UriBuilder(settings.TenantUrl) { Query = string.Empty, Fragment = string.Empty }.Uri;
        _client = new HttpClient(handler) { BaseAddress = new Uri(baseUri.AbsoluteUri.TrimEnd('/') + "/"), Timeout = TimeSpan.FromSeconds(100) };
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", settings.Token);
        _client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue(ScimMediaType));
    }

    public string Prefix => _prefix;

    public async Task<SimulationReport> RunAsync(IPhaseProgress progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var started = Stopwatch.GetTimestamp();
        foreach (var phase in _settings.Phases)
        {
            await RunPhaseAsync(phase, progress, cancellationToken);
            if (phase == SimulationPhase.TestConnection && _operations.Any(o => o.Errors > 0))
            {
                // As in Entra: a failed Test Connection (wrong URL or token) provisions nothing.
                break;
            }
        }

        if (_settings.Cleanup && !_createdIds.IsEmpty)
        {
            await RunPhaseAsync(SimulationPhase.Cleanup, progress, cancellationToken);
        }

        var phaseElapsed = _phases.ToDictionary(p => p.Phase, p => p.Elapsed);
        var operations = _operations.Select(o => o.ToReport(phaseElapsed[o.Phase])).ToList();
        return new SimulationReport(
            _settings.TenantUrl.AbsoluteUri,
            _prefix,
            _settings.Users,
            _settings.Concurrency,
            _settings.Cycle.ToString().ToLowerInvariant(),
            _settings.Cleanup,
            operations.Sum(o => o.Requests),
            operations.Sum(o => o.Errors),
            Math.Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 3),
            [.. _phases.Select(p => new PhaseReport(SimulationPhaseNames.Of(p.Phase), p.Users, Math.Round(p.Elapsed.TotalSeconds, 3)))],
            operations);
    }

    private async Task RunPhaseAsync(SimulationPhase phase, IPhaseProgress progress, CancellationToken cancellationToken)
    {
        var (users, step) = Plan(phase);
        var started = Stopwatch.GetTimestamp();
        using (var tracker = progress.Start(phase, users.Count))
        {
            await Parallel.ForEachAsync(
                users,
                new ParallelOptions { MaxDegreeOfParallelism = _settings.Concurrency, CancellationToken = cancellationToken },
                async (index, token) =>
                {
                    await step(index, token);
                    tracker.Advance();
                });
        }

        _phases.Add((phase, users.Count, Stopwatch.GetElapsedTime(started)));
    }

    private (IReadOnlyList<int> Users, Func<int, CancellationToken, Task> Step) Plan(SimulationPhase phase)
    {
        var everyone = Enumerable.Range(1, _settings.Users).ToList();
        switch (phase)
        {
            case SimulationPhase.TestConnection:
                {
                    // Test Connection asks for a user that cannot exist: a random GUID as userName.
                    var query = Operation(phase, "query-random-user", "GET", "200, no resources");
                    return ([0], (_, token) => QueryAsync(query, Guid.NewGuid().ToString(), expectedResults: 0, token));
                }

            case SimulationPhase.Initial:
                {
                    var query = Operation(phase, "query", "GET", "200, no resources");
                    var create = Operation(phase, "create", "POST", "201");
                    return (everyone, async (index, token) =>
                    {
                        await QueryAsync(query, EntraProvisioningRequests.UserName(_prefix, index), expectedResults: 0, token);
                        var created = await SendAsync(create, HttpMethod.Post, "Users", EntraProvisioningRequests.CreateUser(_prefix, index), [HttpStatusCode.Created], token);
                        if (StringOf(created, "id") is { } id)
                        {
                            _createdIds[index] = id;
                        }
                    });
                }

            case SimulationPhase.Incremental:
            case SimulationPhase.Leavers:
                {
                    var query = Operation(phase, "query", "GET", "200, one resource");
                    var patch = Operation(phase, phase == SimulationPhase.Leavers ? "disable" : "update", "PATCH", "200 or 204");
                    return (Created(), async (index, token) =>
                    {
                        var found = await QueryAsync(query, EntraProvisioningRequests.UserName(_prefix, index), expectedResults: 1, token);
                        var id = found ?? _createdIds[index];
                        var body = phase == SimulationPhase.Leavers ? EntraProvisioningRequests.DisableUser() : EntraProvisioningRequests.UpdateUser(_prefix, index);
                        await SendAsync(patch, HttpMethod.Patch, "Users/" + Uri.EscapeDataString(id), body, [HttpStatusCode.OK, HttpStatusCode.NoContent], token);
                    });
                }

            case SimulationPhase.Delete:
            default:
                {
                    // Cleanup takes whatever the run left; a user already gone counts as cleaned up.
                    HttpStatusCode[] expected = phase == SimulationPhase.Delete ? [HttpStatusCode.NoContent] : [HttpStatusCode.NoContent, HttpStatusCode.NotFound];
                    var delete = Operation(phase, "delete", "DELETE", phase == SimulationPhase.Delete ? "204" : "204 or 404");
                    return (Created(), async (index, token) =>
                    {
                        await SendAsync(delete, HttpMethod.Delete, "Users/" + Uri.EscapeDataString(_createdIds[index]), null, expected, token);
                        _createdIds.TryRemove(index, out _);
                    });
                }
        }
    }

    private List<int> Created() => [.. _createdIds.Keys.Order()];

    private OperationStatistics Operation(SimulationPhase phase, string name, string method, string expected)
    {
        var operation = new OperationStatistics(phase, name, method, expected);
        _operations.Add(operation);
        return operation;
    }

    /// <summary>Entra's lookup by userName; returns the id of the one resource found, if one was.</summary>
    private async Task<string?> QueryAsync(OperationStatistics operation, string userName, int expectedResults, CancellationToken cancellationToken)
    {
        var list = await SendAsync(operation, HttpMethod.Get, EntraProvisioningRequests.QueryByUserName(userName), null, [HttpStatusCode.OK], cancellationToken, answer =>
        {
            int? total = (answer as JsonObject)?["totalResults"] is JsonValue value && value.TryGetValue<int>(out var count) ? count : null;
            return total == expectedResults ? null : new ErrorSample(200, string.Create(CultureInfo.InvariantCulture, $"expected totalResults {expectedResults}, got {total?.ToString(CultureInfo.InvariantCulture) ?? "none"}"));
        });
        return (list as JsonObject)?["Resources"] is JsonArray { Count: 1 } resources ? StringOf(resources[0], "id") : null;
    }

    /// <summary>Sends one request, times it and records it; returns the answer's JSON when it was the expected one.</summary>
    private async Task<JsonNode?> SendAsync(
        OperationStatistics operation,
        HttpMethod method,
        string relativeUri,
        JsonNode? body,
        HttpStatusCode[] expected,
        CancellationToken cancellationToken,
        Func<JsonNode?, ErrorSample?>? check = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, relativeUri);
            if (body is not null)
            {
                request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, ScimMediaType);
            }

            var started = Stopwatch.GetTimestamp();
            try
            {
                using var response = await _client.SendAsync(request, cancellationToken);
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (response.StatusCode == HttpStatusCode.TooManyRequests && attempt < MaxAttempts)
                {
                    // Entra backs off as Retry-After says and sends the same request again.
                    operation.Throttled();
                    await Task.Delay(RetryDelay(response), cancellationToken);
                    continue;
                }

                var json = ParseOrNull(text);
                if (!expected.Contains(response.StatusCode))
                {
                    operation.Record(elapsed, new ErrorSample((int)response.StatusCode, DetailOf(json, text), StringOf(json, "scimType")));
                    return null;
                }

                var problem = check?.Invoke(json);
                operation.Record(elapsed, problem);
                return problem is null ? json : null;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException { InnerException: TimeoutException })
            {
                operation.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, new ErrorSample(0, exception.Message));
                return null;
            }
        }
    }

    private static TimeSpan RetryDelay(HttpResponseMessage response)
    {
        var retryAfter = response.Headers.RetryAfter;
        var delay = retryAfter?.Delta ?? (retryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : TimeSpan.FromSeconds(1));
        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay > MaxRetryDelay ? MaxRetryDelay : delay;
    }

    private static JsonNode? ParseOrNull(string text)
    {
        try
        {
            return string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The SCIM error's detail, or the start of whatever else came back.</summary>
    private static string DetailOf(JsonNode? json, string text) =>
        StringOf(json, "detail") ?? (text.Length > 200 ? text[..200] : text);

    private static string? StringOf(JsonNode? json, string member) =>
        (json as JsonObject)?[member] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public void Dispose() => _client.Dispose();
}
