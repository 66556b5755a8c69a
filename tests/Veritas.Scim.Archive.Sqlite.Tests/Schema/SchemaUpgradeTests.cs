using Dapper;
using Microsoft.Data.Sqlite;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.Sqlite.Tests.Schema;

/// <summary>
/// A database made by the previous schema (version 1, frozen in Schema_v1.sql) is upgraded in
/// place when the gateway starts: its rows and audit ids survive, the audit log takes tenant and
/// token rows, old rows of a deleted account are found by its userName, and new ids continue above
/// the old ones (the audit trail's continuation relies on it). A version-2 database (Schema_v2.sql)
/// keeps its users and takes the user map's other work addresses.
/// </summary>
public sealed class SchemaUpgradeTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_version_1_database_is_upgraded_in_place_keeping_its_rows_and_the_audit_order()
    {
        var path = NewPath();
        await CreateVersion1Async(path);

        await using (var database = new SqliteArchiveDatabase(new SqliteArchiveStoreOptions { DataSource = path }))
        {
            await database.InitializeAsync(Token);

            var before = (await database.AuditTrail.ReadAsync(new AuditQuery("legacy-tenant", null, null, null, null, 10), Token)).Entries;
            Assert.Equal([(3L, AuditOperations.DeleteUser, "v1-leaver"), (2L, AuditOperations.UpdateUser, "v1-leaver"), (1L, AuditOperations.CreateUser, "v1-leaver")], before.Select(e => (e.AuditId, e.Operation, e.ScimId!)));
            Assert.All(before, e => Assert.Equal("leaver@v1.example.test", e.UserName));
            var byName = await database.AuditTrail.ReadAsync(new AuditQuery("legacy-tenant", null, null, null, null, 10) { UserName = "Leaver@V1.example.test" }, Token);
            Assert.Equal(3, byName.Entries.Count);

            var token = await database.Tenants.AddTokenAsync("legacy-tenant", System.Security.Cryptography.SHA256.HashData("v1"u8), Token);
            var after = (await database.AuditTrail.ReadAsync(new AuditQuery("legacy-tenant", null, null, null, null, 10), Token)).Entries;
            Assert.Equal(AuditOperations.AddToken, after[0].Operation);
            Assert.Null(after[0].ScimId);
            Assert.True(after[0].AuditId > 3, "new audit ids continue above the upgraded ones");
            Assert.Single(await database.Tenants.ListTokensAsync("legacy-tenant", Token), t => t.TokenId == token.TokenId);
        }

        SqliteConnection.ClearAllPools();
        await using var connection = new SqliteConnection("Data Source=" + path);
        Assert.Equal(SqliteArchiveDatabase.SchemaVersion, await connection.ExecuteScalarAsync<int>("PRAGMA user_version;"));
        Assert.Equal("ok", await connection.ExecuteScalarAsync<string>("PRAGMA integrity_check;"));
        var indexes = (await connection.QueryAsync<string>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'AuditLog' AND name NOT LIKE 'sqlite_%' ORDER BY name;")).ToList();
        Assert.Equal(["IX_AuditLog_OccurredUtc", "IX_AuditLog_Tenant", "IX_AuditLog_Tenant_UserName", "IX_AuditLog_VaultEntryId"], indexes);
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM sqlite_master WHERE name = 'AuditLog' AND sql LIKE '%VaultEntryId  TEXT,%';"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'AuditLog_v%';"));
        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task A_version_2_database_keeps_its_users_and_takes_other_work_addresses()
    {
        var path = NewPath();
        await CreateFromFrozenSchemaAsync(path, "Schema_v2.sql");
        await using (var connection = new SqliteConnection("Data Source=" + path))
        {
            await connection.ExecuteAsync("""
                INSERT INTO Customer (CustomerGuid, Name, CreatedUtc, ModifiedUtc) VALUES ('6f1c1d2e-0000-4000-8000-000000000002', 'V2 Customer', '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z');
                INSERT INTO ArchiveAccount (CustomerId, VaultEntryId, UserName, PrimarySmtpAddress, AccountStatus, ProvisioningSource, CreatedUtc, ModifiedUtc)
                VALUES (1, 'v2-user', 'user@v2.example.test', 'user@v2.example.test', 0, 3, '2026-01-02T00:00:00.0000000Z', '2026-01-02T00:00:00.0000000Z');
                INSERT INTO UserMap (AccountId, CustomerId, ExternalId, ScimAttributesJson, CreatedUtc, ModifiedUtc)
                VALUES (1, 1, 'ext-v2', '{"emails":[{"type":"work","value":"user@v2.example.test"}]}', '2026-01-02T00:00:00.0000000Z', '2026-01-02T00:00:00.0000000Z');
                """);
        }

        SqliteConnection.ClearAllPools();
        await using (var database = new SqliteArchiveDatabase(new SqliteArchiveStoreOptions { DataSource = path }))
        {
            await database.InitializeAsync(Token);
            var kept = Assert.Single(await database.Accounts.FindByWorkEmailAsync(1, "USER@v2.example.test", Token));
            Assert.Equal(("v2-user", "ext-v2"), (kept.VaultEntryId, kept.ExternalId));

            var state = new ArchiveAccountState("two@v2.example.test", "Two@v2.example.test", null, null, null, true, null, [], "{}") { OtherWorkEmails = ["second@v2.example.test"] };
            var created = await database.Accounts.CreateAsync(1, state, new AuditContext("v2-tenant", "c1"), Token);
            Assert.Equal(created.VaultEntryId, Assert.Single(await database.Accounts.FindByWorkEmailAsync(1, "Second@V2.example.test", Token)).VaultEntryId);
            Assert.Equal(created.VaultEntryId, Assert.Single(await database.Accounts.FindByWorkEmailAsync(1, "two@v2.example.test", Token)).VaultEntryId);
        }

        SqliteConnection.ClearAllPools();
        await using var check = new SqliteConnection("Data Source=" + path);
        Assert.Equal(SqliteArchiveDatabase.SchemaVersion, await check.ExecuteScalarAsync<int>("PRAGMA user_version;"));
        Assert.Equal("ok", await check.ExecuteScalarAsync<string>("PRAGMA integrity_check;"));
        SqliteConnection.ClearAllPools();
    }

    [Theory]
    [InlineData("Schema_v1.sql")]
    [InlineData("Schema_v2.sql")]
    public async Task An_upgraded_database_is_like_a_new_one_and_starting_again_changes_nothing(string frozenSchema)
    {
        var upgraded = NewPath();
        await CreateFromFrozenSchemaAsync(upgraded, frozenSchema);
        var created = NewPath();
        foreach (var path in new[] { upgraded, created, upgraded })
        {
            await using var database = new SqliteArchiveDatabase(new SqliteArchiveStoreOptions { DataSource = path });
            await database.InitializeAsync(Token);
        }

        SqliteConnection.ClearAllPools();
        Assert.Equal(await SchemaOfAsync(created), await SchemaOfAsync(upgraded));
        SqliteConnection.ClearAllPools();
    }

    /// <summary>
    /// The shape of a database: every table's columns (type, NOT NULL, default, key) and every
    /// index's columns with their collations (a rebuilt table's own text differs in comments and quoting).
    /// </summary>
    private static async Task<List<string>> SchemaOfAsync(string path)
    {
        await using var connection = new SqliteConnection("Data Source=" + path);
        var columns = await connection.QueryAsync<string>("""
            SELECT m.name || '.' || c.name || ' ' || c.type || ' ' || c."notnull" || ' ' || IFNULL(c.dflt_value, '-') || ' ' || c.pk
            FROM sqlite_master AS m, pragma_table_xinfo(m.name) AS c
            WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, c.cid;
            """);
        var indexes = await connection.QueryAsync<string>("""
            SELECT m.tbl_name || '.' || m.name || ' ' || IFNULL(i.name, '-') || ' ' || i.coll || ' ' || i."desc" || ' ' || IFNULL(m.sql, '-')
            FROM sqlite_master AS m, pragma_index_xinfo(m.name) AS i
            WHERE m.type = 'index' AND i.key = 1 ORDER BY m.name, i.seqno;
            """);
        return [.. columns, .. indexes];
    }

    private static string NewPath() => Path.Combine(Path.GetTempPath(), "veritas-sqlite-tests", Guid.NewGuid().ToString("N"), "v1.db");

    /// <summary>An empty database of a released schema version, made from its frozen Schema.sql.</summary>
    private static async Task CreateFromFrozenSchemaAsync(string path, string frozenSchema)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var stream = typeof(SchemaUpgradeTests).Assembly.GetManifestResourceStream(frozenSchema)!;
        var schema = await new StreamReader(stream).ReadToEndAsync(Token);
        await using var connection = new SqliteConnection("Data Source=" + path);
        await connection.OpenAsync(Token);
        connection.CreateFunction<long, string, long>("scim_fail", (code, detail) => throw new InvalidOperationException($"{code}: {detail}"));
        await connection.ExecuteAsync(schema);
    }

    /// <summary>What the version-1 gateway left behind: its schema, a tenant, an account it created, updated and deleted, and their audit rows.</summary>
    private static async Task CreateVersion1Async(string path)
    {
        await CreateFromFrozenSchemaAsync(path, "Schema_v1.sql");
        await using var connection = new SqliteConnection("Data Source=" + path);
        await connection.ExecuteAsync("""
            INSERT INTO Customer (CustomerGuid, Name, CreatedUtc, ModifiedUtc) VALUES ('6f1c1d2e-0000-4000-8000-000000000001', 'V1 Customer', '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z');
            INSERT INTO Tenant (TenantKey, CustomerId, CreatedUtc) VALUES ('legacy-tenant', 1, '2026-01-01T00:00:00.0000000Z');
            INSERT INTO ArchiveAccount (CustomerId, VaultEntryId, UserName, AccountStatus, ProvisioningSource, CreatedUtc, ModifiedUtc)
            VALUES (1, 'v1-leaver', 'leaver@v1.example.test', 2, 3, '2026-01-02T00:00:00.0000000Z', '2026-01-04T00:00:00.0000000Z');
            INSERT INTO AuditLog (OccurredUtc, TenantKey, CustomerId, Operation, VaultEntryId, Outcome, CorrelationId) VALUES
                ('2026-01-02T00:00:00.0000000Z', 'legacy-tenant', 1, 'CreateUser', 'v1-leaver', 'Succeeded', 'c1'),
                ('2026-01-03T00:00:00.0000000Z', 'legacy-tenant', 1, 'UpdateUser', 'v1-leaver', 'Succeeded', 'c2'),
                ('2026-01-04T00:00:00.0000000Z', 'legacy-tenant', 1, 'DeleteUser', 'v1-leaver', 'Succeeded', 'c3');
            """);
        Assert.Equal(1, await connection.ExecuteScalarAsync<int>("PRAGMA user_version;"));
    }
}
