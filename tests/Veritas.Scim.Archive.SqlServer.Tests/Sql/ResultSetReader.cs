using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace Veritas.Scim.Archive.SqlServer.Tests.Sql;

/// <summary>
/// The result sets a procedure body returns: every SELECT statement that neither assigns
/// variables nor selects INTO, with its column names (alias, else the column's own name).
/// </summary>
internal sealed class ResultSetReader : TSqlFragmentVisitor
{
    private readonly List<IReadOnlyList<string>> _resultSets = [];

    public static IReadOnlyList<IReadOnlyList<string>> Read(TSqlFragment body)
    {
        var reader = new ResultSetReader();
        body.Accept(reader);
        return reader._resultSets;
    }

    public override void ExplicitVisit(SelectStatement node)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (node.Into is null
            && node.QueryExpression is QuerySpecification query
            && !query.SelectElements.OfType<SelectSetVariable>().Any())
        {
            _resultSets.Add(query.SelectElements.Select(ColumnName).ToList());
        }

        base.ExplicitVisit(node);
    }

    private static string ColumnName(SelectElement element) => element switch
    {
        SelectScalarExpression { ColumnName: { } alias } => alias.Value,
        SelectScalarExpression { Expression: ColumnReferenceExpression column } => column.MultiPartIdentifier.Identifiers[^1].Value,
        _ => throw new InvalidOperationException($"A result column must be named explicitly (found {element.GetType().Name}); SELECT * is not allowed."),
    };
}
