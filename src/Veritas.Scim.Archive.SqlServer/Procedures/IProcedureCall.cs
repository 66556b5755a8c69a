namespace Veritas.Scim.Archive.SqlServer.Procedures;

/// <summary>
/// One stored procedure of the scim schema and the arguments of one call to it. The instance
/// properties marked <see cref="ProcedureParameterAttribute"/> are its parameters, named exactly
/// as in T-SQL without the '@'; this is the only place a procedure's name and parameters are
/// declared in C# (the contract tests compare them with the DacFx model of sql/).
/// </summary>
internal interface IProcedureCall
{
    /// <summary>Schema-qualified name, e.g. "scim.usp_User_Create"; also the span name.</summary>
    static abstract string ProcedureName { get; }

    /// <summary>
    /// True for a procedure whose change a replay would not repeat harmlessly (a transaction that
    /// creates, updates or deletes): the pipeline retries it only after errors that prove nothing
    /// was committed (<see cref="Execution.SqlServerTransientErrors.ProvesNothingCommitted"/>).
    /// </summary>
    static abstract bool Writes { get; }

    /// <summary>The type each result row maps onto (property = column), or null when the procedure returns no rows.</summary>
    static abstract Type? ResultRowType { get; }
}

/// <summary>Marks a property of an <see cref="IProcedureCall"/> as a procedure parameter.</summary>
/// <param name="type">The ADO.NET type sent; <see cref="System.Data.DbType.Object"/> with <see cref="TableTypeName"/> for a table-valued parameter.</param>
/// <param name="size">The declared length of a string or binary parameter; -1 for max; 0 for types without one.</param>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
internal sealed class ProcedureParameterAttribute(System.Data.DbType type, int size = 0) : Attribute
{
    public System.Data.DbType Type { get; } = type;

    public int Size { get; } = size;

    /// <summary>For a table-valued parameter: the T-SQL table type.</summary>
    public string? TableTypeName { get; init; }
}
