using CsCheck;
using Veritas.Scim.Protocol.Querying;

namespace Veritas.Scim.Protocol.Tests.Querying;

public sealed class PageRequestTests
{
    [Theory]
    [InlineData(null, null, 1, 100)]
    [InlineData(0, 10, 1, 10)]
    [InlineData(-5, -1, 1, 0)]
    [InlineData(3, 1000, 3, 100)]
    [InlineData(2, 0, 2, 0)]
    public void Start_index_is_one_based_and_count_is_clamped(int? startIndex, int? count, int expectedStart, int expectedCount)
    {
        var page = PageRequest.Create(startIndex, count, maxCount: 100);

        Assert.Equal(new PageRequest(expectedStart, expectedCount), page);
    }

    [Fact]
    public void Pages_cover_a_sequence_without_gaps_or_overlaps()
    {
        Gen.Select(Gen.Int[0, 60], Gen.Int[1, 15]).Sample((total, size) =>
        {
            var items = Enumerable.Range(0, total).ToList();
            var seen = new List<int>();
            for (var start = 1; start <= total; start += size)
            {
                seen.AddRange(PageRequest.Create(start, size, maxCount: 100).Apply(items));
            }

            Assert.Equal(items, seen);
        });
    }
}
