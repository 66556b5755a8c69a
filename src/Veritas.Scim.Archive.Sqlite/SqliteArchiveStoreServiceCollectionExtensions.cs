using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Veritas.Scim.Translation.Archive;
using Veritas.Scim.Translation.Diagnostics;

namespace Veritas.Scim.Archive.Sqlite;

public static class SqliteArchiveStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers the embedded SQLite archive store as <see cref="IArchiveAccountStore"/> and
    /// <see cref="ITenantStore"/>, with a hosted service that creates the schema (and the demo
    /// data when <see cref="SqliteArchiveStoreOptions.SeedDemoData"/> is set) before the host serves.
    /// </summary>
    public static IServiceCollection AddSqliteArchiveStore(this IServiceCollection services, Action<SqliteArchiveStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<SqliteArchiveStoreOptions>().Configure(configure).ValidateOnStart();
        return AddCore(services);
    }

    /// <summary>As above, with the options bound from a configuration section (see <see cref="SqliteArchiveStoreOptions.SectionName"/>).</summary>
    public static IServiceCollection AddSqliteArchiveStore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<SqliteArchiveStoreOptions>().Bind(configuration).ValidateOnStart();
        return AddCore(services);
    }

    private static IServiceCollection AddCore(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqliteArchiveStoreOptions>, SqliteArchiveStoreOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.TryAddSingleton<ArchiveStoreMetrics>();
        services.TryAddSingleton(provider => new SqliteArchiveDatabase(
            provider.GetRequiredService<IOptions<SqliteArchiveStoreOptions>>().Value,
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ArchiveStoreMetrics>()));
        services.TryAddSingleton(provider => provider.GetRequiredService<SqliteArchiveDatabase>().Accounts);
        services.TryAddSingleton(provider => provider.GetRequiredService<SqliteArchiveDatabase>().Tenants);
        services.TryAddSingleton(provider => provider.GetRequiredService<SqliteArchiveDatabase>().HealthProbe);
        services.TryAddSingleton(provider => provider.GetRequiredService<SqliteArchiveDatabase>().AuditTrail);
        services.TryAddSingleton(provider => provider.GetRequiredService<SqliteArchiveDatabase>().Diagnostics);
        services.AddHostedService<SqliteArchiveInitializer>();
        return services;
    }
}

internal sealed class SqliteArchiveStoreOptionsValidator : IValidateOptions<SqliteArchiveStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, SqliteArchiveStoreOptions options)
    {
        var problems = options.Validate();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

/// <summary>Creates the schema (and the demo data when asked) when the host starts, before it serves.</summary>
internal sealed class SqliteArchiveInitializer(SqliteArchiveDatabase database, IOptions<SqliteArchiveStoreOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await database.InitializeAsync(cancellationToken);
        if (options.Value.SeedDemoData)
        {
            await database.SeedDemoAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
