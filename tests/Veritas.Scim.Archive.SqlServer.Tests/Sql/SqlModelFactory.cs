using Microsoft.SqlServer.Dac.Model;

namespace Veritas.Scim.Archive.SqlServer.Tests.Sql;

/// <summary>Builds one DacFx model from every embedded script, batch by batch (the model does not take GO).</summary>
internal static class SqlModelFactory
{
    public static TSqlModel Build(out IReadOnlyList<string> loadErrors)
    {
        var model = new TSqlModel(SqlServerVersion.Sql160, new TSqlModelOptions());
        var errors = new List<string>();
        foreach (var (name, script) in SqlScripts.All.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            var batches = SqlScripts.Batches(script);
            for (var i = 0; i < batches.Count; i++)
            {
                model.AddOrUpdateObjects(batches[i], $"{name}#{i}", new TSqlObjectOptions());
            }
        }

        foreach (var message in model.GetModelErrors())
        {
            errors.Add(message.ToString());
        }

        loadErrors = errors;
        return model;
    }
}
