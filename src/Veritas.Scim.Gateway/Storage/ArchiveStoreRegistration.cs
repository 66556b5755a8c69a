using Microsoft.Extensions.Options;
using Veritas.Scim.Archive.Sqlite;
using Veritas.Scim.Archive.SqlServer;
using Veritas.Scim.Gateway.Configuration;

namespace Veritas.Scim.Gateway.Storage;

/// <summary>
/// Chooses the archive store from configuration: one setting (<c>Scim:Store</c>) plus, for SQL
/// Server, a connection string (<c>ConnectionStrings:Archive</c>). The server and the CLI verbs
/// share this, so both always work on the same store.
/// </summary>
internal static class ArchiveStoreRegistration
{
    public const string DataDirectoryVariable = "VERITAS_SCIM_DATA";
    public const string ConnectionStringName = "Archive";

    public static IServiceCollection AddScimGatewayOptions(this IServiceCollection services)
    {
        services.AddOptions<ScimGatewayOptions>()
            .BindConfiguration(ScimGatewayOptions.SectionName)
            .PostConfigure(options =>
            {
                if (Environment.GetEnvironmentVariable(DataDirectoryVariable) is { Length: > 0 } dataDirectory)
                {
                    options.DataDirectory = dataDirectory;
                }
            })
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services;
    }

    public static IServiceCollection AddArchiveStore(this IServiceCollection services, IConfiguration configuration)
    {
        if (!UsesEmbeddedStore(configuration))
        {
            return services.AddSqlServerArchiveStore(options =>
            {
                configuration.GetSection(SqlServerStoreOptions.SectionName).Bind(options);
                if (string.IsNullOrWhiteSpace(options.ConnectionString))
                {
                    options.ConnectionString = configuration.GetConnectionString(ConnectionStringName) ?? string.Empty;
                }
            });
        }

        services.AddSqliteArchiveStore(_ => { });
        services.AddOptions<SqliteArchiveStoreOptions>()
            .BindConfiguration(SqliteArchiveStoreOptions.SectionName)
            .Configure<IOptions<ScimGatewayOptions>>((sqlite, gateway) =>
            {
                if (string.IsNullOrWhiteSpace(sqlite.DataSource) && string.IsNullOrWhiteSpace(sqlite.ConnectionString))
                {
                    var directory = Path.GetFullPath(gateway.Value.DataDirectory);
                    Directory.CreateDirectory(directory);
                    sqlite.DataSource = Path.Combine(directory, "archive.db");
                }

                sqlite.SeedDemoData |= gateway.Value.CreateDemoTenant;
            });
        return services;
    }

    public static bool UsesEmbeddedStore(IConfiguration configuration) =>
        configuration.GetSection(ScimGatewayOptions.SectionName).GetValue(nameof(ScimGatewayOptions.Store), ArchiveStoreKind.Sqlite) == ArchiveStoreKind.Sqlite;
}
