using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;

namespace Veritas.Scim.Gateway.Cli;

/// <summary>
/// Where a verb writes. Results go to stdout, everything for the person (notes, hints, errors) to
/// stderr. On a terminal, tables are drawn with Spectre.Console; redirected, each row is one line
/// of tab-separated fields, so scripts can cut and read them.
/// </summary>
internal sealed class CliConsole(TextWriter stdout, TextWriter stderr, bool isTerminal)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public TextWriter Out { get; } = stdout;

    public TextWriter Error { get; } = stderr;

    /// <summary>Stdout is an interactive terminal (not a pipe, a file or a test's writer).</summary>
    public bool IsTerminal { get; } = isTerminal;

    public static CliConsole ForProcess(TextWriter stdout, TextWriter stderr) =>
        new(stdout, stderr, ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected);

    public Task WriteJsonAsync<T>(T value) => Out.WriteLineAsync(JsonSerializer.Serialize(value, Json));

    /// <summary>A table on a terminal; otherwise one tab-separated line per row, no header.</summary>
    /// <param name="rowStyle">On a terminal, the Spectre style of a row (e.g. "red"), or null for none.</param>
    public async Task WriteTableAsync(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, Func<IReadOnlyList<string>, string?>? rowStyle = null)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(rows);
        if (!IsTerminal)
        {
            foreach (var row in rows)
            {
                await Out.WriteLineAsync(string.Join('\t', row.Select(field => field.ReplaceLineEndings(" ").Replace('\t', ' '))));
            }

            return;
        }

        var table = new Table().Border(TableBorder.Rounded);
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(Markup.Escape(header)));
        }

        foreach (var row in rows)
        {
            var style = rowStyle?.Invoke(row) is { } name ? Style.Parse(name) : Style.Plain;
            table.AddRow([.. row.Select(field => new Text(field, style))]);
        }

        Terminal().Write(table);
    }

    /// <summary>A status line on a terminal while <paramref name="work"/> runs; nothing when redirected.</summary>
    public async Task<T> WithStatusAsync<T>(string status, Func<Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return IsTerminal
            ? await AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Error) }).Status().StartAsync(Markup.Escape(status), _ => work())
            : await work();
    }

    private IAnsiConsole Terminal() => AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Out) });
}
