using SQLitePCL;
using Veritas.Scim.Translation.Archive;

[assembly: AssemblyFixture(typeof(Veritas.Scim.Archive.Sqlite.Tests.StoreOpensTheFirstConnection))]

namespace Veritas.Scim.Archive.Sqlite.Tests;

/// <summary>
/// Opens this test process's first SQLite connection the way the store opens every one, before any
/// test runs (some open raw connections of their own): the gateway's first connection is also the
/// store's, and the library settings are accepted only before SQLite initialises.
/// </summary>
public sealed class StoreOpensTheFirstConnection
{
    public StoreOpensTheFirstConnection()
    {
        using var session = SqliteSession.Open("Data Source=:memory:", busyTimeoutMilliseconds: 1_000, readOnly: false);
    }
}

/// <summary>The process-wide settings of the SQLite library that the store applies.</summary>
public sealed class SqliteLibraryTests : IAsyncLifetime
{
    private readonly SqliteStoreFixture _fixture = new();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await _fixture.InitializeAsync();

    public async ValueTask DisposeAsync() => await _fixture.DisposeAsync();

    [Fact]
    public async Task SQLite_counts_no_memory_while_the_store_reads_and_writes()
    {
        var customerId = await _fixture.CreateCustomerAsync("Memory", Token);
        var created = await _fixture.Accounts.CreateAsync(
            customerId,
            new ArchiveAccountState("memory@example.test", "memory@example.test", "Memory", "Test", "Memory Test", true, "memory-1", ["memory.alias@example.test"], "{}"),
            new AuditContext("library-tests", "00-library-01"),
            Token);
        Assert.NotNull(await _fixture.Accounts.GetAsync(customerId, created.VaultEntryId, Token));

        Assert.True(SqliteLibrary.KeepsNoMemoryStatistics);
        // With statistics on, the open connections alone hold hundreds of kilobytes of SQLite's heap.
        Assert.Equal(0, raw.sqlite3_memory_used());
    }
}
