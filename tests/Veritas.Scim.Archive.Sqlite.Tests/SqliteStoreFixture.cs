using Dapper;
using Microsoft.Data.Sqlite;
using Veritas.Scim.Archive.Conformance;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.Sqlite.Tests;

/// <summary>
/// A fresh database file per test class, initialised through the store; the legacy helpers write
/// and read the tables directly, as the archive itself (or an administrator) would.
/// </summary>
public sealed class SqliteStoreFixture : IAuditTrailFixture, IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "veritas-sqlite-tests", Guid.NewGuid().ToString("N"));

    public SqliteStoreFixture()
    {
        Options = new SqliteArchiveStoreOptions { DataSource = Path.Combine(_directory, "archive.db") };
        Database = new SqliteArchiveDatabase(Options);
    }

    public SqliteArchiveStoreOptions Options { get; }

    public SqliteArchiveDatabase Database { get; }

    public string DatabasePath => Options.DataSource!;

    public string? SkipReason => null;

    public IArchiveAccountStore Accounts => Database.Accounts;

    public ITenantStore Tenants => Database.Tenants;

    public IAuditTrailStore AuditTrail => Database.AuditTrail;

    public async Task BackdateAuditAsync(string tenantKey, TimeSpan age, CancellationToken cancellationToken)
    {
        await using var connection = OpenConnection();
        var rows = (await connection.QueryAsync<(long Id, string Occurred)>(new CommandDefinition(
            "SELECT AuditId, OccurredUtc FROM AuditLog WHERE TenantKey = @TenantKey;", new { TenantKey = tenantKey }, cancellationToken: cancellationToken))).ToList();
        foreach (var (id, occurred) in rows)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE AuditLog SET OccurredUtc = @Occurred WHERE AuditId = @Id;",
                new { Id = id, Occurred = SqliteTimestamps.ToText(SqliteTimestamps.Parse(occurred) - age) },
                cancellationToken: cancellationToken));
        }
    }

    public async ValueTask InitializeAsync() => await Database.InitializeAsync(CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        await Database.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open elsewhere only leaves a temp folder behind.
        }
    }

    public SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(Options.BuildConnectionStringBuilder().ToString());
        connection.Open();
        return connection;
    }

    public async Task<int> CreateCustomerAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = OpenConnection();
        var now = SqliteTimestamps.ToText(DateTimeOffset.UtcNow);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            """
            INSERT INTO Customer (CustomerGuid, Name, DataCenter, Status, CreatedUtc, ModifiedUtc)
            VALUES (@Guid, @Name, 'EU1', 0, @Now, @Now);
            SELECT last_insert_rowid();
            """,
            new { Guid = Guid.NewGuid().ToString("D"), Name = name, Now = now },
            cancellationToken: cancellationToken));
    }

    public async Task<string> InsertLegacyAccountAsync(int customerId, LegacyAccountSeed seed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(seed);
        var vaultEntryId = SqliteArchiveAccountStore.NewVaultEntryId();
        await using var connection = OpenConnection();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var now = SqliteTimestamps.ToText(DateTimeOffset.UtcNow.AddDays(-30));
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO ArchiveAccount (CustomerId, VaultEntryId, UserName, PrimarySmtpAddress, FirstName, LastName,
                DisplayName, AccountStatus, ProvisioningSource, Version, CreatedUtc, ModifiedUtc)
            VALUES (@CustomerId, @VaultEntryId, @UserName, @PrimarySmtpAddress, @FirstName, @LastName,
                @DisplayName, @Status, 1, 1, @Now, @Now);
            INSERT INTO Archive (AccountId, ArchiveName, CreatedUtc) VALUES (last_insert_rowid(), @UserName, @Now);
            """,
            new { CustomerId = customerId, VaultEntryId = vaultEntryId, seed.UserName, seed.PrimarySmtpAddress, seed.FirstName, seed.LastName, seed.DisplayName, Status = (int)seed.Status, Now = now },
            transaction,
            cancellationToken: cancellationToken));
        foreach (var alias in seed.Aliases ?? [])
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO ArchiveAccountAlias (AccountId, CustomerId, SmtpAddress, Source, AddedUtc)
                SELECT AccountId, CustomerId, @Alias, 1, @Now FROM ArchiveAccount WHERE VaultEntryId = @VaultEntryId;
                """,
                new { Alias = alias, VaultEntryId = vaultEntryId, Now = now },
                transaction,
                cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
        return vaultEntryId;
    }

    public async Task<LegacyAccountRow?> ReadLegacyAccountAsync(int customerId, string vaultEntryId, CancellationToken cancellationToken)
    {
        await using var connection = OpenConnection();
        var account = await connection.QuerySingleOrDefaultAsync<(long AccountId, string UserName, long Status)?>(new CommandDefinition(
            "SELECT AccountId, UserName, AccountStatus FROM ArchiveAccount WHERE CustomerId = @CustomerId AND VaultEntryId = @VaultEntryId;",
            new { CustomerId = customerId, VaultEntryId = vaultEntryId },
            cancellationToken: cancellationToken));
        if (account is not { } row)
        {
            return null;
        }

        var aliases = (await connection.QueryAsync<(string SmtpAddress, string? RemovedUtc)>(new CommandDefinition(
            "SELECT SmtpAddress, RemovedUtc FROM ArchiveAccountAlias WHERE AccountId = @AccountId ORDER BY AliasId;",
            new { row.AccountId },
            cancellationToken: cancellationToken))).ToList();
        var archives = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM Archive WHERE AccountId = @AccountId;", new { row.AccountId }, cancellationToken: cancellationToken));
        var auditRows = await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM AuditLog WHERE VaultEntryId = @VaultEntryId;", new { VaultEntryId = vaultEntryId }, cancellationToken: cancellationToken));
        return new LegacyAccountRow(
            vaultEntryId,
            row.UserName,
            (AccountStatus)row.Status,
            [.. aliases.Where(alias => alias.RemovedUtc is null).Select(alias => alias.SmtpAddress)],
            [.. aliases.Where(alias => alias.RemovedUtc is not null).Select(alias => alias.SmtpAddress)],
            archives,
            auditRows);
    }
}
