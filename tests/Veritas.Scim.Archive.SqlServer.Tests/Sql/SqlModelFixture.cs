using Microsoft.SqlServer.Dac.Model;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace Veritas.Scim.Archive.SqlServer.Tests.Sql;

/// <summary>The DacFx model of sql/ and the parsed procedure definitions, built once per test class.</summary>
public sealed class SqlModelFixture : IDisposable
{
    public SqlModelFixture()
    {
        Model = SqlModelFactory.Build(out var loadErrors);
        LoadErrors = loadErrors;
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        var procedures = new Dictionary<string, CreateOrAlterProcedureStatement>(StringComparer.OrdinalIgnoreCase);
        foreach (var script in SqlScripts.All.Values)
        {
            foreach (var batch in SqlServerSchemaDeployer.Batches(script))
            {
                var fragment = (TSqlScript)parser.Parse(new StringReader(batch), out _);
                foreach (var procedure in fragment.Batches.SelectMany(b => b.Statements).OfType<CreateOrAlterProcedureStatement>())
                {
                    var name = procedure.ProcedureReference.Name;
                    procedures[$"{name.SchemaIdentifier.Value}.{name.BaseIdentifier.Value}"] = procedure;
                }
            }
        }

        Procedures = procedures;
    }

    internal TSqlModel Model { get; }

    internal IReadOnlyList<string> LoadErrors { get; }

    /// <summary>"scim.usp_User_Get" to its parsed CREATE OR ALTER PROCEDURE.</summary>
    internal IReadOnlyDictionary<string, CreateOrAlterProcedureStatement> Procedures { get; }

    internal TSqlObject? Get(ModelTypeClass type, params string[] nameParts) =>
        Model.GetObject(type, new ObjectIdentifier(nameParts), DacQueryScopes.UserDefined);

    /// <summary>The column names of a view, table or table type in the model, in order.</summary>
    internal IReadOnlyList<string> ColumnsOf(ModelTypeClass type, ModelRelationshipClass columns, params string[] nameParts)
    {
        var element = Get(type, nameParts) ?? throw new InvalidOperationException($"{string.Join('.', nameParts)} is not in the model.");
        return element.GetReferenced(columns).Select(column => column.Name.Parts[^1]).ToList();
    }

    public void Dispose() => Model.Dispose();
}
