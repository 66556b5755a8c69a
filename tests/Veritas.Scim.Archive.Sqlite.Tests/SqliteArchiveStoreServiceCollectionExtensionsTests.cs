using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.Sqlite.Tests;

public sealed class SqliteArchiveStoreServiceCollectionExtensionsTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_hosted_initializer_creates_the_schema_and_seed_and_the_stores_resolve()
    {
        var path = Path.Combine(Path.GetTempPath(), "veritas-sqlite-tests", Guid.NewGuid().ToString("N"), "di.db");
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["DataSource"] = path, ["SeedDemoData"] = "true" })
            .Build();
        await using var provider = new ServiceCollection().AddSqliteArchiveStore(configuration).BuildServiceProvider();

        foreach (var hostedService in provider.GetServices<IHostedService>())
        {
            await hostedService.StartAsync(Token);
        }

        var tenants = provider.GetRequiredService<ITenantStore>();
        var tenant = await tenants.AddTenantAsync("demo", "Demo Customer", Token);
        var alice = await provider.GetRequiredService<IArchiveAccountStore>().FindByUserNameAsync(tenant.CustomerId, "alice.adams@demo.example.com", Token);
        Assert.NotNull(alice);
        Assert.Same(provider.GetRequiredService<SqliteArchiveDatabase>().Accounts, provider.GetRequiredService<IArchiveAccountStore>());
    }

    [Fact]
    public void Invalid_options_fail_when_the_store_is_resolved()
    {
        using var provider = new ServiceCollection().AddSqliteArchiveStore(options => options.DataSource = ":memory:").BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IArchiveAccountStore>());

        Assert.Contains("in-memory", error.Message, StringComparison.Ordinal);
    }
}
