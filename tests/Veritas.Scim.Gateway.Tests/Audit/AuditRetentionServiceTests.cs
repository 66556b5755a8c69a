using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Veritas.Scim.Archive.Sqlite;
using Veritas.Scim.Gateway.Audit;
using Veritas.Scim.Gateway.Tests.Infrastructure;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Gateway.Tests.Audit;

/// <summary>Retention on the embedded store: many old rows go in bounded batches while writers keep writing.</summary>
public sealed class AuditRetentionServiceTests : IAsyncLifetime
{
    private const int OldRows = 20_000;
    private const int BatchSize = 250;

    private readonly string _directory = GatewayHost.NewDataDirectory();
    private SqliteArchiveDatabase _database = null!;
    private SqliteArchiveStoreOptions _options = null!;

    public async ValueTask InitializeAsync()
    {
        _options = new SqliteArchiveStoreOptions { DataSource = Path.Combine(_directory, "archive.db") };
        _database = new SqliteArchiveDatabase(_options);
        await _database.InitializeAsync(TestContext.Current.CancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        GatewayHost.DeleteDataDirectory(_directory);
        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Old_rows_go_in_bounded_batches_while_concurrent_writes_all_succeed_and_keep_their_rows()
    {
        var token = TestContext.Current.CancellationToken;
        var tenant = await _database.Tenants.AddTenantAsync("retained", "Retention Customer", token);
        await InsertOldRowsAsync(tenant.CustomerId, DateTimeOffset.UtcNow.AddDays(-400));
        var recording = new BatchRecordingTrail(_database.AuditTrail);
        var service = new AuditRetentionService(
            recording,
            Options.Create(new AuditRetentionOptions { Retention = TimeSpan.FromDays(90), PruneBatchSize = BatchSize, PruneBatchPause = TimeSpan.Zero }),
            TimeProvider.System,
            NullLogger<AuditRetentionService>.Instance);

        using var stop = new CancellationTokenSource();
        var writes = 0;
        var writer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await _database.Accounts.CreateAsync(tenant.CustomerId, State($"w{writes}@retention.example.test"), new AuditContext("retained", "concurrent"), token);
                Interlocked.Increment(ref writes);
            }
        }, token);

        var pruned = await service.PruneOnceAsync(token);
        await stop.CancelAsync();
        await writer;

        Assert.Equal(OldRows, pruned);
        Assert.All(recording.Batches, deleted => Assert.InRange(deleted, 0, BatchSize));
        Assert.True(recording.Batches.Count >= OldRows / BatchSize, $"{recording.Batches.Count} batches");
        Assert.True(writes > 0, "No write ran during the prune.");

        // The tenant's own AddTenant row is fresh too, and stays.
        var left = await ReadAllAsync();
        Assert.Equal(AuditOperations.AddTenant, left[^1].Operation);
        Assert.Equal(writes, left.Count - 1);
        Assert.All(left[..^1], entry => Assert.Equal("concurrent", entry.CorrelationId));
        Assert.Equal(0, await service.PruneOnceAsync(token));
    }

    [Fact]
    public async Task Without_a_retention_nothing_is_pruned()
    {
        var token = TestContext.Current.CancellationToken;
        var tenant = await _database.Tenants.AddTenantAsync("kept", "Kept Customer", token);
        await InsertOldRowsAsync(tenant.CustomerId, DateTimeOffset.UtcNow.AddYears(-5), count: 10, tenantKey: "kept");
        var service = new AuditRetentionService(_database.AuditTrail, Options.Create(new AuditRetentionOptions()), TimeProvider.System, NullLogger<AuditRetentionService>.Instance);

        Assert.Equal(0, await service.PruneOnceAsync(token));
        // The ten old rows and the tenant's own AddTenant row.
        Assert.Equal(11, (await _database.AuditTrail.ReadAsync(new AuditQuery("kept", null, null, null, null, 100), token)).Entries.Count);
    }

    private async Task<List<AuditEntry>> ReadAllAsync()
    {
        var all = new List<AuditEntry>();
        long? continuation = null;
        do
        {
            var page = await _database.AuditTrail.ReadAsync(new AuditQuery("retained", null, null, null, continuation, AuditQuery.MaxLimit), TestContext.Current.CancellationToken);
            all.AddRange(page.Entries);
            continuation = page.Continuation;
        }
        while (continuation is not null);
        return all;
    }

    /// <summary>Old rows straight in the table (as months of traffic would have left them), in one transaction.</summary>
    private async Task InsertOldRowsAsync(int customerId, DateTimeOffset occurred, int count = OldRows, string tenantKey = "retained")
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = _options.DataSource }.ToString());
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO AuditLog (OccurredUtc, TenantKey, CustomerId, Operation, VaultEntryId, Outcome, CorrelationId)
            VALUES ($occurred, $tenant, $customer, 'UpdateUser', $id, 'Succeeded', 'old');
            """;
        var occurredParameter = command.Parameters.Add("$occurred", SqliteType.Text);
        command.Parameters.AddWithValue("$tenant", tenantKey);
        command.Parameters.AddWithValue("$customer", customerId);
        var idParameter = command.Parameters.Add("$id", SqliteType.Text);
        for (var i = 0; i < count; i++)
        {
            occurredParameter.Value = occurred.AddSeconds(i).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
            idParameter.Value = "OLD" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        await transaction.CommitAsync(TestContext.Current.CancellationToken);
    }

    private static ArchiveAccountState State(string userName) => new(userName, userName, "Retained", "Writer", "Retained Writer", true, null, [], null);

    /// <summary>The real store, recording how many rows each prune call deleted.</summary>
    private sealed class BatchRecordingTrail(IAuditTrailStore inner) : IAuditTrailStore
    {
        public ConcurrentQueue<int> Batches { get; } = new();

        public Task<AuditPage> ReadAsync(AuditQuery query, CancellationToken cancellationToken) => inner.ReadAsync(query, cancellationToken);

        public async Task<int> PruneAsync(DateTimeOffset cutoff, int batchSize, CancellationToken cancellationToken)
        {
            var deleted = await inner.PruneAsync(cutoff, batchSize, cancellationToken);
            Batches.Enqueue(deleted);
            return deleted;
        }
    }
}
