using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Veritas.Scim.Archive.SqlServer.Execution;
using Veritas.Scim.Translation.Archive;
using Veritas.Scim.Translation.Diagnostics;

namespace Veritas.Scim.Archive.SqlServer;

public static class SqlServerArchiveStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers the SQL Server store as <see cref="IArchiveAccountStore"/> and
    /// <see cref="ITenantStore"/> with options bound from <paramref name="configuration"/>
    /// (e.g. the section <see cref="SqlServerStoreOptions.SectionName"/>), validated on start.
    /// </summary>
    public static IServiceCollection AddSqlServerArchiveStore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<SqlServerStoreOptions>().Bind(configuration);
        return services.AddSqlServerArchiveStoreCore();
    }

    /// <summary>Registers the SQL Server store with options set in code, validated on start.</summary>
    public static IServiceCollection AddSqlServerArchiveStore(this IServiceCollection services, Action<SqlServerStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<SqlServerStoreOptions>().Configure(configure);
        return services.AddSqlServerArchiveStoreCore();
    }

    private static IServiceCollection AddSqlServerArchiveStoreCore(this IServiceCollection services)
    {
        services.AddOptions<SqlServerStoreOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqlServerStoreOptions>, SqlServerStoreOptionsValidator>());
        // One runner, so that every store method shares one circuit breaker.
        services.AddMetrics();
        services.TryAddSingleton<ArchiveStoreMetrics>();
        services.TryAddSingleton(provider => new SqlServerCommandRunner(
            provider.GetRequiredService<IOptions<SqlServerStoreOptions>>().Value,
            metrics: provider.GetRequiredService<ArchiveStoreMetrics>()));
        services.TryAddSingleton<IArchiveAccountStore, SqlServerArchiveAccountStore>();
        services.TryAddSingleton<ITenantStore, SqlServerTenantStore>();
        services.TryAddSingleton<IAuditTrailStore, SqlServerAuditTrailStore>();
        services.TryAddSingleton<IArchiveStoreDiagnostics, SqlServerStoreDiagnostics>();
        services.TryAddSingleton<IArchiveHealthProbe, SqlServerArchiveHealthProbe>();
        return services;
    }
}
