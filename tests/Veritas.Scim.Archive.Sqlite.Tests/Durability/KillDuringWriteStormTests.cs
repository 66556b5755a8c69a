using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Veritas.Scim.Archive.Sqlite.Tests.Durability;

/// <summary>
/// A 2xx means the change is on disk: the real gateway process takes a storm of creates and
/// PATCHes from 16 concurrent HTTP clients, is killed with SIGKILL in the middle of it, and after
/// the restart every acknowledged write is there with its content and the file is intact. The
/// file is read by the <c>sqlite3</c> command (an independent implementation of the reading side)
/// when it is installed (.ci/run installs it), else by Microsoft.Data.Sqlite.
/// </summary>
public sealed class KillDuringWriteStormTests : IDisposable
{
    private const string UserSchema = "urn:ietf:params:scim:schemas:core:2.0:User";
    private const int Clients = 16;

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "veritas-kill-tests", Guid.NewGuid().ToString("N"));

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_acknowledged_write_survives_a_kill_9_in_the_middle_of_a_write_storm()
    {
        Directory.CreateDirectory(_dataDirectory);
        var token = await GatewayProcess.RunCliAsync(_dataDirectory, Token, "tenant", "add", "storm", "--customer", "Storm Customer");
        var created = new ConcurrentDictionary<string, string>();      // id -> userName
        var displayNames = new ConcurrentDictionary<string, string>(); // id -> last acknowledged displayName
        var inFlight = new ConcurrentDictionary<string, string>();     // id -> displayName of a PATCH not yet answered

        await using (var gateway = await GatewayProcess.StartAsync(_dataDirectory, Token))
        {
            using var storm = new CancellationTokenSource();
            var clients = Enumerable.Range(0, Clients).Select(client => Task.Run(() => StormAsync(gateway.Address, token, client, created, displayNames, inFlight, storm.Token), Token)).ToList();

            var clock = Stopwatch.StartNew();
            while (created.Count < 400 && clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(20, Token);
            }

            gateway.KillHard();
            await storm.CancelAsync();
            await Task.WhenAll(clients);
        }

        Assert.True(created.Count >= 100, $"only {created.Count} creates were acknowledged before the kill");
        var database = Path.Combine(_dataDirectory, "archive.db");
        var oracle = new DatabaseOracle(database);
        Assert.Equal("ok", oracle.Scalar("PRAGMA integrity_check;"));
        var stored = oracle.Rows("SELECT VaultEntryId, UserName, DisplayName FROM ArchiveAccount WHERE ProvisioningSource = 3;")
            .ToDictionary(row => row[0], row => (UserName: row[1], DisplayName: row[2]));
        foreach (var (id, userName) in created)
        {
            Assert.True(stored.TryGetValue(id, out var row), $"acknowledged create {id} ({userName}) is missing after the kill");
            Assert.Equal(userName, row.UserName);
            if (displayNames.TryGetValue(id, out var acknowledged))
            {
                // A PATCH in flight at the kill may or may not have committed; an answered one has.
                var allowed = inFlight.TryGetValue(id, out var pending) ? new[] { acknowledged, pending } : [acknowledged];
                Assert.Contains(row.DisplayName, allowed);
            }
        }

        // The restarted gateway serves what it acknowledged before the kill.
        await using var restarted = await GatewayProcess.StartAsync(_dataDirectory, Token);
        using var client = Client(restarted.Address, token);
        foreach (var id in created.Keys.Take(20))
        {
            using var response = await client.GetAsync("scim/storm/v2/Users/" + id, Token);
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        }
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static async Task StormAsync(
        Uri address,
        string token,
        int clientNumber,
        ConcurrentDictionary<string, string> created,
        ConcurrentDictionary<string, string> displayNames,
        ConcurrentDictionary<string, string> inFlight,
        CancellationToken cancellationToken)
    {
        using var client = Client(address, token);
        var mine = new List<string>();
        for (var i = 0; !cancellationToken.IsCancellationRequested && i < 100_000; i++)
        {
            try
            {
                if (i % 3 == 2 && mine.Count > 0)
                {
                    var id = mine[i % mine.Count];
                    var displayName = $"Patched {clientNumber}-{i}";
                    inFlight[id] = displayName;
                    var patch = $$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"displayName","value":"{{displayName}}"}]}""";
                    using var response = await client.PatchAsync("scim/storm/v2/Users/" + id, Json(patch), cancellationToken);
                    if (response.IsSuccessStatusCode)
                    {
                        displayNames[id] = displayName;
                        inFlight.TryRemove(id, out _);
                    }
                }
                else
                {
                    var userName = $"storm{clientNumber}.{i}@storm.example.com";
                    var body = $$"""
                        {"schemas":["{{UserSchema}}"],"userName":"{{userName}}","externalId":"ext-{{clientNumber}}-{{i}}","active":true,
                         "displayName":"Created {{clientNumber}}-{{i}}","name":{"givenName":"Storm","familyName":"User"},
                         "emails":[{"type":"work","primary":true,"value":"{{userName}}"}]}
                        """;
                    using var response = await client.PostAsync("scim/storm/v2/Users", Json(body), cancellationToken);
                    if (response.IsSuccessStatusCode)
                    {
                        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(CancellationToken.None));
                        var id = answer.RootElement.GetProperty("id").GetString()!;
                        created[id] = userName;
                        displayNames[id] = $"Created {clientNumber}-{i}";
                        mine.Add(id);
                    }
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or IOException)
            {
                // The process was killed: this request has no answer, so nothing was acknowledged.
                return;
            }
        }
    }

    private static HttpClient Client(Uri address, string token)
    {
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/scim+json");

    /// <summary>Reads the database with the sqlite3 command when it is installed, else with Microsoft.Data.Sqlite.</summary>
    private sealed class DatabaseOracle(string path)
    {
        private static readonly string? Cli = FindOnPath("sqlite3");

        public string Scalar(string sql) => Rows(sql).Single().Single();

        public List<string[]> Rows(string sql)
        {
            if (Cli is null)
            {
                using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = sql;
                using var reader = command.ExecuteReader();
                var rows = new List<string[]>();
                while (reader.Read())
                {
                    rows.Add([.. Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? string.Empty : reader.GetValue(i).ToString()!)]);
                }

                return rows;
            }

            var info = new ProcessStartInfo(Cli) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            info.ArgumentList.Add("-separator");
            info.ArgumentList.Add("\u001f");
            info.ArgumentList.Add(path);
            info.ArgumentList.Add(sql);
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEnd();
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, "sqlite3 failed: " + error);
            return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('\u001f'))];
        }

        private static string? FindOnPath(string name)
            => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
                .Select(directory => Path.Combine(directory, name))
                .FirstOrDefault(File.Exists);
    }
}
