using System.Reflection;
using System.Text.RegularExpressions;
using Veritas.Scim.Archive.SqlServer;

namespace Veritas.Scim.Archive.SqlServer.Tests.Sql;

/// <summary>The .sql scripts as the deployer ships them: the embedded resources of the store assembly.</summary>
internal static partial class SqlScripts
{
    private const string ResourcePrefix = "Veritas.Scim.Archive.SqlServer.sql.";

    public static Assembly StoreAssembly => typeof(SqlServerSchemaDeployer).Assembly;

    /// <summary>Resource name (e.g. "scim.programmability.0300_usp_User_Create.sql") to script text.</summary>
    public static IReadOnlyDictionary<string, string> All { get; } = Load();

    public static IReadOnlyList<string> Batches(string script) =>
        GoSeparator().Split(script).Where(batch => !string.IsNullOrWhiteSpace(batch)).ToList();

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Veritas.Scim.Gateway.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("The repository root was not found above " + AppContext.BaseDirectory);
    }

    private static Dictionary<string, string> Load()
    {
        var scripts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in StoreAssembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
        {
            using var stream = StoreAssembly.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            scripts.Add(name[ResourcePrefix.Length..], reader.ReadToEnd());
        }

        return scripts;
    }

    [GeneratedRegex(@"^\s*GO\s*(?:--[^\r\n]*)?\r?$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex GoSeparator();
}
