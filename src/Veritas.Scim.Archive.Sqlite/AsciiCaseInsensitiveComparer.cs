namespace Veritas.Scim.Archive.Sqlite;

/// <summary>Equality as SQLite's NOCASE collation sees it: ASCII letters fold, nothing else does.</summary>
internal sealed class AsciiCaseInsensitiveComparer : IEqualityComparer<string>
{
    public static AsciiCaseInsensitiveComparer Instance { get; } = new();

    public bool Equals(string? x, string? y)
    {
        if (x is null || y is null)
        {
            return x is null && y is null;
        }

        if (x.Length != y.Length)
        {
            return false;
        }

        for (var i = 0; i < x.Length; i++)
        {
            if (Fold(x[i]) != Fold(y[i]))
            {
                return false;
            }
        }

        return true;
    }

    public int GetHashCode(string obj)
    {
        var hash = new HashCode();
        foreach (var character in obj)
        {
            hash.Add(Fold(character));
        }

        return hash.ToHashCode();
    }

    private static char Fold(char character) => character is >= 'A' and <= 'Z' ? (char)(character + 32) : character;
}
