using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Veritas.Scim.Archive.Sqlite;

/// <summary>
/// One long-lived connection and the commands prepared on it. Everything that belongs to a
/// connection rather than to a command happens once, when it opens: the busy timeout,
/// <c>PRAGMA synchronous = FULL</c>, the <c>scim_fail</c> guard function. A session serves one
/// caller at a time (the writer, or one reader it is lent to).
/// </summary>
internal sealed class SqliteSession : IDisposable
{
    /// <summary>Command texts kept prepared per connection; query shapes beyond it are prepared per use.</summary>
    internal const int MaxPreparedCommands = 256;

    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, SqliteCommand> _prepared = new(StringComparer.Ordinal);

    private SqliteSession(SqliteConnection connection)
    {
        _connection = connection;
    }

    /// <summary>What the last guard that fired on this connection reported.</summary>
    public GuardFailure Failure { get; } = new();

    /// <summary>True while a transaction is open on this connection.</summary>
    public bool InTransaction => raw.sqlite3_get_autocommit(_connection.Handle) == 0;

    /// <summary>The connection itself, for tests that inspect plans on a connection set up like the store's.</summary>
    internal SqliteConnection Connection => _connection;

    /// <summary>The command texts this connection holds prepared (for the plan tests).</summary>
    public IReadOnlyCollection<string> PreparedCommandTexts => _prepared.Keys;

    public static SqliteSession Open(string connectionString, int busyTimeoutMilliseconds, bool readOnly)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            // SQLite's own busy handler: another process (a CLI verb) may hold the write lock.
            raw.sqlite3_busy_timeout(connection.Handle, busyTimeoutMilliseconds);
            var session = new SqliteSession(connection);
            connection.CreateFunction<long, string, long>(SqliteCommandRunner.FailFunctionName, session.Failure.Raise);
            // synchronous is a property of the connection: FULL makes every COMMIT wait for its fsync.
            session.Execute(readOnly ? "PRAGMA synchronous = FULL; PRAGMA query_only = 1;" : "PRAGMA synchronous = FULL; PRAGMA analysis_limit = 400;");
            return session;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs one command text (one or more statements) and maps every row of every result set.
    /// Every result set is read and every statement stepped explicitly, so an error in any
    /// statement surfaces here.
    /// </summary>
    public List<T> Query<T>(string commandText, StatementArguments? arguments, Func<SqliteDataReader, T> mapRow)
    {
        var command = Prepared(commandText, out var keep);
        try
        {
            Bind(command, arguments);
            var rows = new List<T>();
            using var reader = command.ExecuteReader();
            do
            {
                while (reader.Read())
                {
                    rows.Add(mapRow(reader));
                }
            }
            while (reader.NextResult());

            return rows;
        }
        finally
        {
            if (!keep)
            {
                command.Dispose();
            }
        }
    }

    /// <summary>Runs a command text for its effect only.</summary>
    public void Execute(string commandText) => Query(commandText, null, static _ => 0);

    public void Dispose()
    {
        foreach (var command in _prepared.Values)
        {
            command.Dispose();
        }

        _prepared.Clear();
        _connection.Dispose();
    }

    private SqliteCommand Prepared(string commandText, out bool keep)
    {
        if (_prepared.TryGetValue(commandText, out var command))
        {
            keep = true;
            return command;
        }

        command = _connection.CreateCommand();
        command.CommandText = commandText;
        keep = _prepared.Count < MaxPreparedCommands;
        if (keep)
        {
            _prepared.Add(commandText, command);
        }

        return command;
    }

    /// <summary>
    /// Binds by the name the statements spell (<c>@Name</c>). Microsoft.Data.Sqlite looks every
    /// parameter up in every statement of a command text; a name without its prefix costs it four
    /// lookups per statement (as written, then <c>@</c>, <c>$</c>, <c>:</c>), with the prefix one.
    /// A prepared command keeps its parameters in the order of the first call, so a later call
    /// finds each at its position.
    /// </summary>
    private static void Bind(SqliteCommand command, StatementArguments? arguments)
    {
        if (arguments is null)
        {
            return;
        }

        var parameters = command.Parameters;
        for (var position = 0; position < arguments.Count; position++)
        {
            var (name, value) = arguments[position];
            var bound = value ?? DBNull.Value;
            if (position < parameters.Count && IsParameter(parameters[position].ParameterName, name))
            {
                parameters[position].Value = bound;
            }
            else if (parameters.IndexOf(ParameterPrefix + name) is var index and >= 0)
            {
                parameters[index].Value = bound;
            }
            else
            {
                parameters.AddWithValue(ParameterPrefix + name, bound);
            }
        }
    }

    private const string ParameterPrefix = "@";

    private static bool IsParameter(string parameterName, string name) =>
        parameterName.Length == name.Length + 1 && parameterName.StartsWith(ParameterPrefix, StringComparison.Ordinal) && parameterName.AsSpan(1).SequenceEqual(name);
}

/// <summary>What the <c>scim_fail</c> guard reported before it aborted its statement.</summary>
internal sealed class GuardFailure
{
    public string? Code { get; private set; }

    public string? Detail { get; private set; }

    public void Clear()
    {
        Code = null;
        Detail = null;
    }

    public long Raise(long code, string detail)
    {
        Code = code.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Detail = string.IsNullOrEmpty(detail) ? null : detail;
        // SQLite reports this as an error of the guard's statement, which stops the command text.
        throw new InvalidOperationException("Store guard " + Code + " fired.");
    }
}
