using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace Veritas.Scim.Archive.SqlServer.Tests.Sql;

/// <summary>The production deployment (the scim scripts) defines, alters or drops nothing outside schema scim.</summary>
public sealed class ScimSchemaIsolationTests
{
    [Fact]
    public void Scim_scripts_define_objects_in_schema_scim_only()
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        var defined = new List<(string Script, string Schema, string Name)>();
        foreach (var (name, script) in SqlScripts.All.Where(pair => pair.Key.StartsWith("scim.", StringComparison.Ordinal)))
        {
            foreach (var batch in SqlServerSchemaDeployer.Batches(script))
            {
                var fragment = parser.Parse(new StringReader(batch), out var errors);
                Assert.Empty(errors);
                var collector = new DefinitionCollector();
                fragment.Accept(collector);
                defined.AddRange(collector.Names.Select(n => (name, n.SchemaIdentifier?.Value ?? "(default)", n.BaseIdentifier.Value)));
            }
        }

        Assert.NotEmpty(defined);
        Assert.All(defined, item => Assert.True(item.Schema == "scim", $"{item.Script} defines {item.Schema}.{item.Name}"));
    }

    private sealed class DefinitionCollector : TSqlFragmentVisitor
    {
        public List<SchemaObjectName> Names { get; } = [];

        public override void Visit(CreateTableStatement node) => Names.Add(node.SchemaObjectName);

        public override void Visit(AlterTableStatement node) => Names.Add(node.SchemaObjectName);

        public override void Visit(CreateIndexStatement node) => Names.Add(node.OnName);

        public override void Visit(CreateTypeTableStatement node) => Names.Add(node.Name);

        public override void Visit(CreateOrAlterViewStatement node) => Names.Add(node.SchemaObjectName);

        public override void Visit(CreateOrAlterProcedureStatement node) => Names.Add(node.ProcedureReference.Name);

        public override void Visit(CreateTriggerStatement node) => Names.Add(node.Name);

        public override void Visit(DropObjectsStatement node) => Names.AddRange(node.Objects);

        public override void Visit(TruncateTableStatement node) => Names.Add(node.TableName);
    }
}
