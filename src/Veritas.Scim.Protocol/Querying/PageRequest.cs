namespace Veritas.Scim.Protocol.Querying;

/// <summary>
/// Pagination of RFC 7644 §3.4.2.4: a 1-based <see cref="StartIndex"/> (values below 1 mean 1)
/// and a <see cref="Count"/> (negative means 0, above the maximum means the maximum).
/// </summary>
public readonly record struct PageRequest(int StartIndex, int Count)
{
    public static PageRequest Create(int? startIndex, int? count, int maxCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        var start = startIndex is null or < 1 ? 1 : startIndex.Value;
        var size = count switch
        {
            null => maxCount,
            < 0 => 0,
            _ when count.Value > maxCount => maxCount,
            _ => count.Value,
        };
        return new PageRequest(start, size);
    }

    /// <summary>The number of items to skip, 0-based.</summary>
    public int Offset => StartIndex - 1;

    /// <summary>The page of an in-memory sequence.</summary>
    public IEnumerable<T> Apply<T>(IEnumerable<T> items) => items.Skip(Offset).Take(Count);
}
