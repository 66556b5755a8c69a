namespace Veritas.Scim.Gateway.Tests.Hostile;

internal static class HostileReport
{
    /// <summary>How many violations per class, and the first few in full.</summary>
    public static string Describe(IReadOnlyList<(string Class, string Violation)> violations, IEnumerable<Infrastructure.LogLine> logs)
    {
        var errors = logs.Where(l => l.Level >= Microsoft.Extensions.Logging.LogLevel.Error).Take(3)
            .Select(l => $"\n  logged: {l.Message} {l.Exception?.GetType().Name}: {l.Exception?.Message} {l.Exception?.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}");
        var detail = string.Concat(errors);
        // VERITAS_SCIM_HOSTILE_REPORT=<file> keeps every violation in full, for a long local run.
        if (Environment.GetEnvironmentVariable("VERITAS_SCIM_HOSTILE_REPORT") is { Length: > 0 } file && violations.Count > 0)
        {
            File.AppendAllLines(file, violations.Select(v => v.Violation.ReplaceLineEndings(" ")));
        }

        return detail + $"\n{violations.Count} violations ({string.Join(", ", violations.GroupBy(v => v.Class).Select(g => $"{g.Key} {g.Count()}"))}):\n"
        + string.Join("\n", violations.GroupBy(v => v.Class).SelectMany(g => g.Take(3)).Select(v => v.Violation.Length > 1500 ? v.Violation[..1500] + "…" : v.Violation));
    }
}
