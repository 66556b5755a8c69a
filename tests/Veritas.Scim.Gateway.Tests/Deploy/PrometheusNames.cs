using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;

namespace Veritas.Scim.Gateway.Tests.Deploy;

/// <summary>
/// The OpenTelemetry → Prometheus name conversion the collector's prometheus exporter applies
/// (add_metric_suffixes: true): characters outside [a-zA-Z0-9_:] become underscores, the unit
/// becomes a suffix (annotations in braces are dropped), counters end in _total and histograms
/// are queried as _bucket, _sum and _count.
/// </summary>
internal static partial class PrometheusNames
{
    public static IEnumerable<string> For(string name, string? unit, InstrumentKind kind)
    {
        var baseName = InvalidCharacters().Replace(name, "_");
        var unitSuffix = unit switch
        {
            "s" => "seconds",
            "ms" => "milliseconds",
            "By" => "bytes",
            "1" when kind == InstrumentKind.Gauge => "ratio",
            _ => null,
        };
        if (unitSuffix is not null && !baseName.EndsWith("_" + unitSuffix, StringComparison.Ordinal))
        {
            baseName += "_" + unitSuffix;
        }

        return kind switch
        {
            InstrumentKind.Counter => [baseName + "_total"],
            InstrumentKind.Histogram => [baseName + "_bucket", baseName + "_sum", baseName + "_count"],
            _ => [baseName],
        };
    }

    public static InstrumentKind KindOf(Instrument instrument)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        var type = instrument.GetType();
        var definition = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        return definition == typeof(Counter<>) || definition == typeof(ObservableCounter<>) ? InstrumentKind.Counter
            : definition == typeof(Histogram<>) ? InstrumentKind.Histogram
            : InstrumentKind.Gauge;
    }

    /// <summary>
    /// The metric names a PromQL expression reads: what is left once label matchers, range
    /// selectors, grouping clauses, strings and numbers are removed, and functions (names
    /// followed by a parenthesis) are skipped.
    /// </summary>
    public static IReadOnlyList<string> QueriedBy(string promQl)
    {
        var text = promQl.Replace("$__rate_interval", "5m", StringComparison.Ordinal).Replace("$__interval", "5m", StringComparison.Ordinal);
        text = Strings().Replace(text, " ");
        text = LabelMatchers().Replace(text, " ");
        text = RangeSelectors().Replace(text, " ");
        text = Grouping().Replace(text, " ");
        return [.. Identifiers().Matches(text).Select(m => m.Groups["name"].Value).Where(n => !Keywords.Contains(n)).Distinct(StringComparer.Ordinal)];
    }

    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal) { "and", "or", "unless", "offset", "bool", "inf", "nan" };

    [GeneratedRegex("[^a-zA-Z0-9_:]")]
    private static partial Regex InvalidCharacters();

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex Strings();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex LabelMatchers();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex RangeSelectors();

    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"(?<![\w.])(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?!\s*\()(?![\w.])")]
    private static partial Regex Identifiers();
}

internal enum InstrumentKind
{
    Counter,
    Histogram,
    Gauge,
}
