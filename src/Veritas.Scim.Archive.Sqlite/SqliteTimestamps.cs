using System.Globalization;

namespace Veritas.Scim.Archive.Sqlite;

/// <summary>
/// Timestamps are stored as TEXT of one fixed width (100 ns precision, like datetime2), so that
/// comparing and sorting the text compares and sorts the instants.
/// </summary>
internal static class SqliteTimestamps
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static string ToText(DateTimeOffset value)
        => value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string text)
        => DateTimeOffset.ParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
