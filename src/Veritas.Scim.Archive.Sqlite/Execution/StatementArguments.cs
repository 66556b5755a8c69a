namespace Veritas.Scim.Archive.Sqlite;

/// <summary>
/// The values of one command text's parameters, by name (without the @), in the order the caller
/// adds them. The same call site always adds the same names in the same order, so a prepared
/// command binds them by position and looks a name up only when the order differs.
/// </summary>
internal sealed class StatementArguments : List<KeyValuePair<string, object?>>
{
    public StatementArguments()
    {
    }

    public StatementArguments(int capacity)
        : base(capacity)
    {
    }

    public void Add(string name, object? value) => Add(new KeyValuePair<string, object?>(name, value));
}
