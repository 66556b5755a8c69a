using System.Text.RegularExpressions;
using Microsoft.SqlServer.Dac.Model;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using Index = Microsoft.SqlServer.Dac.Model.Index;

namespace Veritas.Scim.Archive.SqlServer.Tests.Sql;

/// <summary>
/// Builds one DacFx model from every embedded script, batch by batch, and reports what the model
/// would otherwise drop without a word:
/// - the model takes no GO: batches are split first (with the deployer's own splitter);
/// - the model silently ignores CREATE OR ALTER: those batches go in as CREATE;
/// - the model silently ignores DML (the development seed): such a batch goes in wrapped as the
///   body of a validation-only procedure, so its table and column references are still checked;
/// - GRANT batches go in as they are (the model holds permissions); REVOKE, which the model
///   cannot hold for a schema, is parsed only;
/// - an index redefined WITH (DROP_EXISTING = ON) (legacy/0002) replaces nothing in the model
///   (which would call it a duplicate): it must name an index the model already holds;
/// - the model takes no ALTER TABLE: a batch that only adds columns (a migration such as
///   0008_AuditLogUserName) is folded into the CREATE TABLE batch it extends, which is loaded again
///   under its own source name, so later scripts resolve the new columns;
/// - every object a batch creates must then be found in the model.
/// </summary>
internal static partial class SqlModelFactory
{
    public const string ValidationProcedurePrefix = "zz_validate_";

    public static TSqlModel Build(out IReadOnlyList<string> loadErrors)
    {
        var model = new TSqlModel(SqlServerVersion.Sql160, new TSqlModelOptions());
        var errors = new List<string>();
        var expected = new List<(ModelTypeClass Type, ObjectIdentifier Id, string Source)>();
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        var tableBatches = new Dictionary<string, (string Source, TSqlScript Script)>(StringComparer.OrdinalIgnoreCase);

        foreach (var (name, script) in SqlScripts.All.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            var batches = SqlServerSchemaDeployer.Batches(script);
            for (var i = 0; i < batches.Count; i++)
            {
                var source = $"{name}#{i}";
                var fragment = (TSqlScript)parser.Parse(new StringReader(batches[i]), out var parseErrors);
                errors.AddRange(parseErrors.Select(error => $"{source} line {error.Line}: {error.Message}"));
                var statements = fragment.Batches.SelectMany(batch => batch.Statements).ToList();
                var created = statements.Select(CreatedObject).ToList();

                if (statements.Count > 0 && statements.All(IsIndexRedefinition))
                {
                    foreach (var index in statements.Cast<CreateIndexStatement>())
                    {
                        var id = new ObjectIdentifier([.. Identifier(index.OnName).Parts, index.Name.Value]);
                        if (model.GetObject(Index.TypeClass, id, DacQueryScopes.UserDefined) is null)
                        {
                            errors.Add($"{source}: DROP_EXISTING redefines {string.Join('.', id.Parts)}, which no earlier script created.");
                        }
                    }
                }
                else if (statements.Count > 0 && statements.All(IsColumnAddition))
                {
                    foreach (var addition in statements.Cast<AlterTableAddTableElementStatement>())
                    {
                        var table = string.Join('.', Identifier(addition.SchemaObjectName).Parts);
                        if (!tableBatches.TryGetValue(table, out var definition))
                        {
                            errors.Add($"{source}: adds columns to {table}, which no earlier batch created alone.");
                            continue;
                        }

                        var create = definition.Script.Batches.SelectMany(batch => batch.Statements).OfType<CreateTableStatement>().Single();
                        foreach (var column in addition.Definition.ColumnDefinitions)
                        {
                            create.Definition.ColumnDefinitions.Add(column);
                        }

                        new Sql160ScriptGenerator().GenerateScript(definition.Script, out var extended);
                        model.AddOrUpdateObjects(extended, definition.Source, new TSqlObjectOptions());
                    }
                }
                else if (statements.Count > 0 && statements.All(statement => statement is RevokeStatement))
                {
                    // Parsed above; nothing the model can hold.
                }
                else if (statements.Count > 0 && statements.All(statement => statement is GrantStatement))
                {
                    // The model takes one statement per batch.
                    for (var j = 0; j < statements.Count; j++)
                    {
                        model.AddOrUpdateObjects(batches[i].Substring(statements[j].StartOffset, statements[j].FragmentLength), $"{source}.{j}", new TSqlObjectOptions());
                    }
                }
                else if (created.All(item => item is not null))
                {
                    expected.AddRange(created.Select(item => (item!.Value.Type, item.Value.Id, source)));
                    model.AddOrUpdateObjects(CreateOrAlter().Replace(batches[i], "CREATE", 1), source, new TSqlObjectOptions());
                    if (statements is [CreateTableStatement table])
                    {
                        tableBatches[string.Join('.', Identifier(table.SchemaObjectName).Parts)] = (source, fragment);
                    }
                }
                else if (created.All(item => item is null))
                {
                    var wrapper = ValidationProcedurePrefix + NonIdentifier().Replace(source, "_");
                    expected.Add((Procedure.TypeClass, new ObjectIdentifier("dbo", wrapper), source));
                    model.AddOrUpdateObjects($"CREATE PROCEDURE dbo.{wrapper}\nAS\nBEGIN\n{batches[i]}\nEND;", source, new TSqlObjectOptions());
                }
                else
                {
                    errors.Add($"{source}: a batch mixes object definitions and other statements.");
                }
            }
        }

        foreach (var (type, id, source) in expected)
        {
            if (model.GetObject(type, id, DacQueryScopes.UserDefined) is null)
            {
                errors.Add($"{source}: {type.Name} {string.Join('.', id.Parts)} was not taken into the model.");
            }
        }

        loadErrors = errors;
        return model;
    }

    /// <summary>Errors and unresolved references of the model, as text.</summary>
    public static IReadOnlyList<string> ValidationProblems(TSqlModel model) => model.Validate()
        .Where(message => message.MessageType == Microsoft.SqlServer.Dac.DacMessageType.Error
            || message.Number is 71501 or 71502 or 71561 or 71562)
        .Select(message => message.ToString())
        // The model holds no master database: the one system procedure the scripts call is
        // known by name only (the ScriptDom tests check how it is called).
        .Where(message => !message.Contains("unresolved reference to object [sys].[sp_getapplock]", StringComparison.Ordinal))
        .ToList();

    private static bool IsColumnAddition(TSqlStatement statement) =>
        statement is AlterTableAddTableElementStatement { Definition: { ColumnDefinitions.Count: > 0, TableConstraints.Count: 0, Indexes.Count: 0 } };

    private static bool IsIndexRedefinition(TSqlStatement statement) =>
        statement is CreateIndexStatement index
        && index.IndexOptions.OfType<IndexStateOption>().Any(option => option.OptionKind == IndexOptionKind.DropExisting && option.OptionState == OptionState.On);

    private static (ModelTypeClass Type, ObjectIdentifier Id)? CreatedObject(TSqlStatement statement) => statement switch
    {
        CreateRoleStatement role => (Role.TypeClass, new ObjectIdentifier(role.Name.Value)),
        CreateSchemaStatement schema => (Schema.TypeClass, new ObjectIdentifier(schema.Name.Value)),
        CreateTableStatement table => (Table.TypeClass, Identifier(table.SchemaObjectName)),
        CreateTypeTableStatement type => (TableType.TypeClass, Identifier(type.Name)),
        CreateIndexStatement index => (Index.TypeClass, new ObjectIdentifier([.. Identifier(index.OnName).Parts, index.Name.Value])),
        CreateViewStatement view => (View.TypeClass, Identifier(view.SchemaObjectName)),
        CreateOrAlterViewStatement view => (View.TypeClass, Identifier(view.SchemaObjectName)),
        CreateProcedureStatement procedure => (Procedure.TypeClass, Identifier(procedure.ProcedureReference.Name)),
        CreateOrAlterProcedureStatement procedure => (Procedure.TypeClass, Identifier(procedure.ProcedureReference.Name)),
        _ => null,
    };

    private static ObjectIdentifier Identifier(SchemaObjectName name) =>
        new(name.SchemaIdentifier?.Value ?? "dbo", name.BaseIdentifier.Value);

    [GeneratedRegex(@"\bCREATE\s+OR\s+ALTER\b", RegexOptions.IgnoreCase)]
    private static partial Regex CreateOrAlter();

    [GeneratedRegex(@"[^A-Za-z0-9_]")]
    private static partial Regex NonIdentifier();
}
