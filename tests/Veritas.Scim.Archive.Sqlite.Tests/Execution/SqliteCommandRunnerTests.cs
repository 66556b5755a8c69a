namespace Veritas.Scim.Archive.Sqlite.Tests;

/// <summary>The read side of the one command runner: a pool of long-lived read connections.</summary>
public sealed class SqliteCommandRunnerTests : IAsyncLifetime
{
    private const int OverlappingReads = 16;

    private readonly SqliteStoreFixture _fixture = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await _fixture.InitializeAsync();

    public async ValueTask DisposeAsync() => await _fixture.DisposeAsync();

    [Fact]
    public async Task Sixteen_overlapping_reads_are_kept_as_idle_connections_and_reads_one_after_another_reuse_the_last_one_returned()
    {
        await using var runner = new SqliteCommandRunner(_fixture.Options);
        // Each read holds its connection until all sixteen are open at once.
        using var allOpen = new Barrier(OverlappingReads);
        var overlapping = Enumerable.Range(0, OverlappingReads).Select(_ => Task.Factory.StartNew(
            () => runner.QueryAsync("overlap", "SELECT 1;", null, _ => allOpen.SignalAndWait(TimeSpan.FromSeconds(30)), Token).GetAwaiter().GetResult(),
            Token,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default));
        var opened = await Task.WhenAll(overlapping);
        Assert.All(opened, rows => Assert.True(Assert.Single(rows), "the sixteen reads did not overlap"));
        Assert.Equal(OverlappingReads, runner.IdleReaderCommandTexts.Count);

        // Forty reads one after another: with a queue each connection would take its turn, and every
        // one would hold this text prepared; the most recently returned one serves them all.
        const string SequentialRead = "SELECT 2;";
        for (var read = 0; read < 40; read++)
        {
            Assert.Equal(2L, Assert.Single(await runner.QueryAsync("sequential", SequentialRead, null, row => row.GetInt64(0), Token)));
        }

        var idle = runner.IdleReaderCommandTexts;
        Assert.Equal(OverlappingReads, idle.Count);
        Assert.Equal(1, idle.Count(texts => texts.Contains(SequentialRead)));
        Assert.Contains(SequentialRead, idle[0]);
    }
}
