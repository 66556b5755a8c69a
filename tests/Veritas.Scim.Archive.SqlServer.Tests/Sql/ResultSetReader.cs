using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace Veritas.Scim.Archive.SqlServer.Tests.Sql;

/// <summary>
/// The result sets a procedure body returns: every SELECT statement that neither assigns
/// variables nor selects INTO, with its column names (alias, else the column's own name). A UNION
/// takes its names from its first query, as SQL Server does; every query of it must list as many.
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
        var queries = Queries(node.QueryExpression).ToList();
        if (node.Into is null
            && queries.Count > 0
            && !queries[0].SelectElements.OfType<SelectSetVariable>().Any())
        {
            if (queries.Any(query => query.SelectElements.Count != queries[0].SelectElements.Count))
            {
                throw new InvalidOperationException("The queries of a UNION list different numbers of columns.");
            }

            _resultSets.Add(queries[0].SelectElements.Select(ColumnName).ToList());
        }

        base.ExplicitVisit(node);
    }

    private static IEnumerable<QuerySpecification> Queries(QueryExpression? expression) => expression switch
    {
        QuerySpecification query => [query],
        BinaryQueryExpression both => Queries(both.FirstQueryExpression).Concat(Queries(both.SecondQueryExpression)),
        QueryParenthesisExpression parenthesis => Queries(parenthesis.QueryExpression),
        _ => [],
    };

    private static string ColumnName(SelectElement element) => element switch
    {
        SelectScalarExpression { ColumnName: { } alias } => alias.Value,
        SelectScalarExpression { Expression: ColumnReferenceExpression column } => column.MultiPartIdentifier.Identifiers[^1].Value,
        _ => throw new InvalidOperationException($"A result column must be named explicitly (found {element.GetType().Name}); SELECT * is not allowed."),
    };
}
