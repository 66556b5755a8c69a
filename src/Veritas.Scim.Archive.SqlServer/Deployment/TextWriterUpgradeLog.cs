using System.Globalization;
using DbUp.Engine.Output;

namespace Veritas.Scim.Archive.SqlServer;

/// <summary>DbUp's log, written to the caller's writer (the CLI's console or a test's output).</summary>
internal sealed class TextWriterUpgradeLog(TextWriter writer) : IUpgradeLog
{
    public void LogTrace(string format, params object[] args)
    {
    }

    public void LogDebug(string format, params object[] args)
    {
    }

    public void LogInformation(string format, params object[] args) => Write("info", format, args);

    public void LogWarning(string format, params object[] args) => Write("warn", format, args);

    public void LogError(string format, params object[] args) => Write("error", format, args);

    public void LogError(Exception ex, string format, params object[] args)
    {
        ArgumentNullException.ThrowIfNull(ex);
        Write("error", format, args);
        writer.WriteLine(ex.Message);
    }

    private void Write(string level, string format, object[] args) =>
        writer.WriteLine(level + ": " + (args.Length == 0 ? format : string.Format(CultureInfo.InvariantCulture, format, args)));
}
