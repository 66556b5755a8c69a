using System.Text.Json;
using Dapper;
using Microsoft.Data.SqlClient;
using Testcontainers.MsSql;
using Veritas.Scim.Archive.Conformance;
using Veritas.Scim.Archive.SqlServer.Execution;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.SqlServer.Tests;

/// <summary>
/// The SQL Server store against a real server: the database named by
/// <see cref="ConnectionStringVariable"/> when it is set, else a throwaway container when a
/// Docker engine answers, else nothing (<see cref="SkipReason"/> says why). Either way the schema
/// is deployed with the legacy tables by <see cref="SqlServerSchemaDeployer"/>, as `db deploy` would,
/// and the stores run as a login that is only a member of the role scim_gateway (README, "SQL
/// Server"), never as the administrator; only the fixture's own seeding uses the administrator.
/// </summary>
public sealed class SqlServerStoreFixture : IAuditTrailFixture, IAsyncLifetime
{
    public const string ConnectionStringVariable = "VERITAS_SCIM_TEST_SQLSERVER";
    public const string Image = "mcr.microsoft.com/mssql/server:2022-CU14-ubuntu-22.04";
    private const string TestDatabase = "VeritasScimTests";
    /// <summary>Set to 1 where the suite must not skip (the GitHub workflow).</summary>
    public const string RequireServerVariable = "VERITAS_SCIM_REQUIRE_SQLSERVER";
    public const string GatewayLogin = "veritas_scim_test_gateway";

    private MsSqlContainer? _container;
    private string? _connectionString;
    private SqlServerArchiveAccountStore? _accounts;
    private SqlServerTenantStore? _tenants;
    private SqlServerAuditTrailStore? _auditTrail;

    public string? SkipReason { get; private set; }

    /// <summary>What the deployment logged, for diagnosing a failed start.</summary>
    public string DeployLog { get; private set; } = string.Empty;

    public IArchiveAccountStore Accounts => _accounts ?? throw NotAvailable();

    public ITenantStore Tenants => _tenants ?? throw NotAvailable();

    public IAuditTrailStore AuditTrail => _auditTrail ?? throw NotAvailable();

    public async Task BackdateAuditAsync(string tenantKey, TimeSpan age, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE scim.AuditLog SET OccurredUtc = DATEADD(second, -@Seconds, OccurredUtc) WHERE TenantKey = @TenantKey;",
            new { TenantKey = tenantKey, Seconds = (int)age.TotalSeconds },
            cancellationToken: cancellationToken));
    }

    /// <summary>The administrator's connection (deploying and seeding only).</summary>
    internal string ConnectionString => _connectionString ?? throw NotAvailable();

    /// <summary>The least-privilege gateway login's connection: what the stores use.</summary>
    internal string GatewayConnectionString { get; private set; } = string.Empty;

    /// <summary>The store options the stores run with (tests build their own runners from them).</summary>
    internal SqlServerStoreOptions GatewayOptions(int retryCount = 3) => new() { ConnectionString = GatewayConnectionString, RetryCount = retryCount };

    public async ValueTask InitializeAsync()
    {
        var configured = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            _connectionString = configured;
        }
        else
        {
            var whyNoDocker = await DockerEngine.WhyNotAvailableAsync(TimeSpan.FromSeconds(2));
            if (whyNoDocker is not null && Environment.GetEnvironmentVariable(RequireServerVariable) == "1")
            {
                throw new InvalidOperationException($"{RequireServerVariable}=1 but {whyNoDocker}: the SQL Server suite must run here.");
            }

            if (whyNoDocker is not null)
            {
                SkipReason = $"SQL Server tests skipped: {whyNoDocker}, and {ConnectionStringVariable} is not set.";
                return;
            }

            _container = new MsSqlBuilder(Image).Build();
            await _container.StartAsync();
            _connectionString = new SqlConnectionStringBuilder(_container.GetConnectionString()) { InitialCatalog = TestDatabase }.ConnectionString;
        }

        using var log = new StringWriter();
        var result = await SqlServerSchemaDeployer.DeployAsync(_connectionString, includeLegacy: true, log, CancellationToken.None);
        DeployLog = log.ToString();
        if (!result.Successful)
        {
            throw new InvalidOperationException($"Deploying to the test database failed in {result.FailedScript}: {result.Error}\n{DeployLog}");
        }

        GatewayConnectionString = await CreateGatewayLoginAsync(_connectionString);
        var runner = new SqlServerCommandRunner(GatewayOptions());
        _accounts = new SqlServerArchiveAccountStore(runner);
        _tenants = new SqlServerTenantStore(runner);
        _auditTrail = new SqlServerAuditTrailStore(runner);
    }

    public async ValueTask DisposeAsync()
    {
        if (_container is not null)
        {
            await _container.DisposeAsync();
        }
    }

    public async Task<int> CreateCustomerAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "INSERT INTO dbo.Customer (Name) OUTPUT INSERTED.CustomerId VALUES (@Name);",
            new { Name = name },
            cancellationToken: cancellationToken));
    }

    public async Task<string> InsertLegacyAccountAsync(int customerId, LegacyAccountSeed seed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(seed);
        var vaultEntryId = "1" + Guid.NewGuid().ToString("N").ToUpperInvariant() + "1110000legacy";
        const string Insert = """
            SET XACT_ABORT ON;
            BEGIN TRANSACTION;
            INSERT INTO dbo.ArchiveAccount
                (CustomerId, VaultEntryId, UserName, PrimarySmtpAddress, FirstName, LastName, DisplayName,
                 AccountStatus, LoginLocked, ArchivingEnabled, PersonalArchiveEnabled, ProvisioningSource)
            VALUES
                (@CustomerId, @VaultEntryId, @UserName, @PrimarySmtpAddress, @FirstName, @LastName, @DisplayName,
                 @Status, CASE WHEN @Status = 0 THEN 0 ELSE 1 END, CASE WHEN @Status = 0 THEN 1 ELSE 0 END, 1, 1);
            DECLARE @AccountId int = SCOPE_IDENTITY();
            INSERT INTO dbo.Archive (AccountId, ArchiveName) VALUES (@AccountId, COALESCE(@DisplayName, @UserName));
            INSERT INTO dbo.ArchiveAccountAlias (AccountId, CustomerId, SmtpAddress, Source, RemovedUtc)
            SELECT @AccountId, @CustomerId, j.[value], 1, CASE WHEN @Status = 2 THEN SYSUTCDATETIME() END
            FROM OPENJSON(@AliasesJson) AS j
            ORDER BY CAST(j.[key] AS int);
            COMMIT TRANSACTION;
            """;
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            Insert,
            new
            {
                CustomerId = customerId,
                VaultEntryId = vaultEntryId,
                seed.UserName,
                seed.PrimarySmtpAddress,
                seed.FirstName,
                seed.LastName,
                seed.DisplayName,
                Status = (byte)seed.Status,
                AliasesJson = JsonSerializer.Serialize(seed.Aliases ?? []),
            },
            cancellationToken: cancellationToken));
        return vaultEntryId;
    }

    public async Task<LegacyAccountRow?> ReadLegacyAccountAsync(int customerId, string vaultEntryId, CancellationToken cancellationToken)
    {
        const string Read = """
            SELECT a.AccountId, a.VaultEntryId, a.UserName, a.AccountStatus
            FROM dbo.ArchiveAccount AS a
            WHERE a.CustomerId = @CustomerId AND a.VaultEntryId = @VaultEntryId;
            SELECT al.SmtpAddress, CAST(CASE WHEN al.RemovedUtc IS NULL THEN 1 ELSE 0 END AS bit) AS Live
            FROM dbo.ArchiveAccountAlias AS al
            JOIN dbo.ArchiveAccount AS a ON a.AccountId = al.AccountId
            WHERE a.CustomerId = @CustomerId AND a.VaultEntryId = @VaultEntryId
            ORDER BY al.AliasId;
            SELECT COUNT(*)
            FROM dbo.Archive AS ar
            JOIN dbo.ArchiveAccount AS a ON a.AccountId = ar.AccountId
            WHERE a.CustomerId = @CustomerId AND a.VaultEntryId = @VaultEntryId;
            SELECT COUNT(*)
            FROM scim.AuditLog AS l
            WHERE l.CustomerId = @CustomerId AND l.ScimId = @VaultEntryId;
            """;
        await using var connection = await OpenAsync(cancellationToken);
        using var grid = await connection.QueryMultipleAsync(new CommandDefinition(
            Read, new { CustomerId = customerId, VaultEntryId = vaultEntryId }, cancellationToken: cancellationToken));
        var account = await grid.ReadSingleOrDefaultAsync<(int AccountId, string VaultEntryId, string UserName, byte AccountStatus)?>();
        var aliases = (await grid.ReadAsync<(string SmtpAddress, bool Live)>()).ToList();
        var archives = await grid.ReadSingleAsync<int>();
        var auditRows = await grid.ReadSingleAsync<int>();
        return account is not { } found
            ? null
            : new LegacyAccountRow(
                found.VaultEntryId,
                found.UserName,
                (AccountStatus)found.AccountStatus,
                aliases.Where(alias => alias.Live).Select(alias => alias.SmtpAddress).ToList(),
                aliases.Where(alias => !alias.Live).Select(alias => alias.SmtpAddress).ToList(),
                archives,
                auditRows);
    }

    /// <summary>A login and user that is a member of scim_gateway and nothing else, with a fresh password each run.</summary>
    private static async Task<string> CreateGatewayLoginAsync(string adminConnectionString)
    {
        // Generated here, hex only: safe to splice into CREATE LOGIN, which takes no variables.
        var password = "Gw1!" + Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var setUp = $"""
            IF SUSER_ID(N'{GatewayLogin}') IS NULL
                CREATE LOGIN {GatewayLogin} WITH PASSWORD = N'{password}', CHECK_POLICY = OFF;
            ELSE
                ALTER LOGIN {GatewayLogin} WITH PASSWORD = N'{password}';
            IF DATABASE_PRINCIPAL_ID(N'{GatewayLogin}') IS NULL
                CREATE USER {GatewayLogin} FOR LOGIN {GatewayLogin};
            ALTER ROLE scim_gateway ADD MEMBER {GatewayLogin};
            """;
        await using (var connection = new SqlConnection(adminConnectionString))
        {
            await connection.OpenAsync();
            await connection.ExecuteAsync(setUp);
        }

        return new SqlConnectionStringBuilder(adminConnectionString)
        {
            IntegratedSecurity = false,
            UserID = GatewayLogin,
            Password = password,
        }.ConnectionString;
    }

    private async Task<SqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqlConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private InvalidOperationException NotAvailable() =>
        new(SkipReason ?? "The SQL Server fixture has not been initialised.");
}
