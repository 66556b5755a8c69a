using System.Reflection;

namespace Veritas.Scim.Archive.SqlServer.Tests.Sql;

/// <summary>The .sql scripts as the deployer ships them: the embedded resources of the store assembly.</summary>
internal static class SqlScripts
{
    private const string ResourcePrefix = "Veritas.Scim.Archive.SqlServer.sql.";

    private static Assembly StoreAssembly => typeof(SqlServerSchemaDeployer).Assembly;

    /// <summary>Script name (e.g. "scim.programmability.0300_usp_User_Create.sql") to script text.</summary>
    public static IReadOnlyDictionary<string, string> All { get; } = StoreAssembly.GetManifestResourceNames()
        .Where(resource => resource.StartsWith(ResourcePrefix, StringComparison.Ordinal))
        .Select(resource => resource[ResourcePrefix.Length..])
        .ToDictionary(name => name, SqlServerSchemaDeployer.ReadScript, StringComparer.Ordinal);

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Veritas.Scim.Gateway.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The repository root was not found above " + AppContext.BaseDirectory);
    }
}
