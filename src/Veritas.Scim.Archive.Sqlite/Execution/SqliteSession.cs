using System.Data.Common;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Veritas.Scim.Archive.Sqlite;

/// <summary>
/// One long-lived connection and the statements prepared on it. Everything that belongs to a
/// connection rather than to a command happens once, when it opens: the busy timeout,
/// <c>PRAGMA synchronous = FULL</c>, the <c>scim_fail</c> guard function. A session serves one
/// caller at a time (the writer, or one reader it is lent to).
/// Statements are SQLite's own (prepared once with SQLITE_PREPARE_PERSISTENT, bound by position):
/// Microsoft.Data.Sqlite looks each parameter up by name in each statement of a command text on
/// every execution, which cost a write (13 statements, 17 parameters) more than its SQL did.
/// </summary>
internal sealed class SqliteSession : IDisposable
{
    /// <summary>Command texts kept prepared per connection; query shapes beyond it are prepared per use.</summary>
    internal const int MaxPreparedCommands = 256;

    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, PreparedText> _prepared = new(StringComparer.Ordinal);
    private readonly StatementRow _row = new();

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
            SqliteLibrary.Configure();
            connection.Open();
            // SQLite's own busy handler: another process (a CLI verb) may hold the write lock.
            raw.sqlite3_busy_timeout(connection.Handle, busyTimeoutMilliseconds);
            var session = new SqliteSession(connection);
            connection.CreateFunction<long, string, long>(SqliteCommandRunner.FailFunctionName, session.Failure.Raise);
            // synchronous is a property of the connection: FULL makes every COMMIT wait for its fsync.
            session.Execute(readOnly ? "PRAGMA synchronous = FULL; PRAGMA query_only = 1;" : "PRAGMA synchronous = FULL; PRAGMA analysis_limit = 400; PRAGMA temp_store = MEMORY;");
            return session;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs one command text (one or more statements) and maps every row of every statement.
    /// Every statement is stepped to its end, so an error in any of them surfaces here, and every
    /// statement is reset afterwards, so a reader holds no snapshot once it returns.
    /// </summary>
    public List<T> Query<T>(string commandText, StatementArguments? arguments, Func<DbDataReader, T> mapRow)
    {
        var text = Prepared(commandText, out var keep);
        var rows = new List<T>();
        var handle = _connection.Handle!;
        try
        {
            for (var index = 0; text.At(index) is { } statement; index++)
            {
                statement.Bind(arguments);
                int rc;
                while ((rc = raw.sqlite3_step(statement.Handle)) == raw.SQLITE_ROW)
                {
                    _row.Current = statement.Handle;
                    rows.Add(mapRow(_row));
                }

                if (rc != raw.SQLITE_DONE)
                {
                    SqliteException.ThrowExceptionForRC(rc, handle);
                }
            }

            return rows;
        }
        finally
        {
            _row.Current = null;
            text.Reset();
            if (!keep)
            {
                text.Dispose();
            }
        }
    }

    /// <summary>Runs a command text for its effect only.</summary>
    public void Execute(string commandText) => Query(commandText, null, static _ => 0);

    public void Dispose()
    {
        foreach (var text in _prepared.Values)
        {
            text.Dispose();
        }

        _prepared.Clear();
        _connection.Dispose();
    }

    private PreparedText Prepared(string commandText, out bool keep)
    {
        if (_prepared.TryGetValue(commandText, out var text))
        {
            keep = true;
            return text;
        }

        keep = _prepared.Count < MaxPreparedCommands;
        text = new PreparedText(_connection.Handle!, commandText, persistent: keep);
        if (keep)
        {
            _prepared.Add(commandText, text);
        }

        return text;
    }

    /// <summary>
    /// The statements of one command text, in order, each prepared when execution first reaches
    /// it (as SQLite runs a script: a statement may name a table an earlier one creates).
    /// </summary>
    private sealed class PreparedText(sqlite3 connection, string commandText, bool persistent) : IDisposable
    {
        private readonly byte[] _sql = Encoding.UTF8.GetBytes(commandText);
        private readonly List<PreparedStatement> _statements = [];
        private int _preparedUpTo;

        /// <summary>The statement at <paramref name="index"/>, prepared now if need be; null past the last.</summary>
        public PreparedStatement? At(int index)
        {
            while (index >= _statements.Count && _preparedUpTo < _sql.Length)
            {
                var rc = raw.sqlite3_prepare_v3(connection, _sql.AsSpan(_preparedUpTo), persistent ? (uint)raw.SQLITE_PREPARE_PERSISTENT : 0, out var statement, out var tail);
                if (rc != raw.SQLITE_OK)
                {
                    statement?.Dispose();
                    SqliteException.ThrowExceptionForRC(rc, connection);
                }

                _preparedUpTo = _sql.Length - tail.Length;
                // Whitespace or a comment after the last statement prepares to no statement.
                if (statement is null || statement.IsInvalid)
                {
                    statement?.Dispose();
                    _preparedUpTo = _sql.Length;
                }
                else
                {
                    _statements.Add(new PreparedStatement(statement));
                }
            }

            return index < _statements.Count ? _statements[index] : null;
        }

        public void Reset()
        {
            foreach (var statement in _statements)
            {
                raw.sqlite3_reset(statement.Handle);
            }
        }

        public void Dispose()
        {
            foreach (var statement in _statements)
            {
                statement.Handle.Dispose();
            }

            _statements.Clear();
        }
    }

    /// <summary>
    /// One statement and, for each of its parameters, the position of its argument. Call sites
    /// build their arguments in one order, so after the first call each parameter's argument is
    /// found at its position (checked by name every time; looked up by name when it moved).
    /// </summary>
    private sealed class PreparedStatement
    {
        private readonly string[] _names;
        private readonly int[] _positions;

        public PreparedStatement(sqlite3_stmt handle)
        {
            Handle = handle;
            var count = raw.sqlite3_bind_parameter_count(handle);
            _names = new string[count];
            _positions = new int[count];
            for (var index = 0; index < count; index++)
            {
                var name = raw.sqlite3_bind_parameter_name(handle, index + 1).utf8_to_string()
                    ?? throw new InvalidOperationException("The store binds parameters by name; a statement has an anonymous one.");
                // The statements spell @Name (or $Name, :Name); the arguments name it without the prefix.
                _names[index] = name[1..];
                _positions[index] = -1;
            }
        }

        public sqlite3_stmt Handle { get; }

        public void Bind(StatementArguments? arguments)
        {
            for (var index = 0; index < _names.Length; index++)
            {
                var position = _positions[index];
                if (arguments is null || position < 0 || position >= arguments.Count || !string.Equals(arguments[position].Key, _names[index], StringComparison.Ordinal))
                {
                    position = _positions[index] = IndexOf(arguments, _names[index]);
                }

                var rc = BindValue(index + 1, arguments![position].Value);
                if (rc != raw.SQLITE_OK)
                {
                    throw new SqliteException($"Binding @{_names[index]} failed ({rc}).", rc);
                }
            }
        }

        private static int IndexOf(StatementArguments? arguments, string name)
        {
            for (var position = 0; arguments is not null && position < arguments.Count; position++)
            {
                if (string.Equals(arguments[position].Key, name, StringComparison.Ordinal))
                {
                    return position;
                }
            }

            throw new InvalidOperationException($"Must add values for the following parameters: @{name}");
        }

        private int BindValue(int index, object? value) => value switch
        {
            null or DBNull => raw.sqlite3_bind_null(Handle, index),
            string text => raw.sqlite3_bind_text(Handle, index, text),
            int number => raw.sqlite3_bind_int64(Handle, index, number),
            long number => raw.sqlite3_bind_int64(Handle, index, number),
            bool flag => raw.sqlite3_bind_int64(Handle, index, flag ? 1 : 0),
            double real => raw.sqlite3_bind_double(Handle, index, real),
            byte[] blob => raw.sqlite3_bind_blob(Handle, index, blob),
            _ => throw new NotSupportedException($"The store binds no {value.GetType().Name} values."),
        };
    }

    /// <summary>The row a statement stands on, as the row mappers read it (by ordinal).</summary>
    private sealed class StatementRow : DbDataReader
    {
        public sqlite3_stmt? Current { get; set; }

        private sqlite3_stmt Statement => Current ?? throw new InvalidOperationException("No row.");

        public override int FieldCount => raw.sqlite3_column_count(Statement);

        public override object this[int ordinal] => GetValue(ordinal);

        public override object this[string name] => GetValue(GetOrdinal(name));

        public override int RecordsAffected => -1;

        public override bool HasRows => Current is not null;

        public override bool IsClosed => false;

        public override int Depth => 0;

        public override bool IsDBNull(int ordinal) => raw.sqlite3_column_type(Statement, ordinal) == raw.SQLITE_NULL;

        public override string GetString(int ordinal) =>
            IsDBNull(ordinal) ? throw new InvalidCastException($"Column {ordinal} is NULL.") : raw.sqlite3_column_text(Statement, ordinal).utf8_to_string();

        public override long GetInt64(int ordinal) => raw.sqlite3_column_int64(Statement, ordinal);

        public override int GetInt32(int ordinal) => checked((int)raw.sqlite3_column_int64(Statement, ordinal));

        public override short GetInt16(int ordinal) => checked((short)raw.sqlite3_column_int64(Statement, ordinal));

        public override byte GetByte(int ordinal) => checked((byte)raw.sqlite3_column_int64(Statement, ordinal));

        public override bool GetBoolean(int ordinal) => raw.sqlite3_column_int64(Statement, ordinal) != 0;

        public override double GetDouble(int ordinal) => raw.sqlite3_column_double(Statement, ordinal);

        public override float GetFloat(int ordinal) => (float)GetDouble(ordinal);

        public override decimal GetDecimal(int ordinal) => (decimal)GetDouble(ordinal);

        public override object GetValue(int ordinal) => raw.sqlite3_column_type(Statement, ordinal) switch
        {
            raw.SQLITE_NULL => DBNull.Value,
            raw.SQLITE_INTEGER => GetInt64(ordinal),
            raw.SQLITE_FLOAT => GetDouble(ordinal),
            raw.SQLITE_BLOB => raw.sqlite3_column_blob(Statement, ordinal).ToArray(),
            _ => GetString(ordinal),
        };

        public override int GetValues(object[] values)
        {
            ArgumentNullException.ThrowIfNull(values);
            var count = Math.Min(values.Length, FieldCount);
            for (var ordinal = 0; ordinal < count; ordinal++)
            {
                values[ordinal] = GetValue(ordinal);
            }

            return count;
        }

        public override string GetName(int ordinal) => raw.sqlite3_column_name(Statement, ordinal).utf8_to_string();

        public override int GetOrdinal(string name)
        {
            for (var ordinal = 0; ordinal < FieldCount; ordinal++)
            {
                if (string.Equals(GetName(ordinal), name, StringComparison.OrdinalIgnoreCase))
                {
                    return ordinal;
                }
            }

            throw new ArgumentOutOfRangeException(nameof(name), name, "No such column.");
        }

        public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length)
        {
            var blob = raw.sqlite3_column_blob(Statement, ordinal);
            if (buffer is null)
            {
                return blob.Length;
            }

            var available = (int)Math.Max(0, blob.Length - dataOffset);
            var copied = Math.Min(available, length);
            blob.Slice((int)dataOffset, copied).CopyTo(buffer.AsSpan(bufferOffset));
            return copied;
        }

        public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) => throw new NotSupportedException();

        public override char GetChar(int ordinal) => throw new NotSupportedException();

        public override Guid GetGuid(int ordinal) => Guid.Parse(GetString(ordinal));

        public override DateTime GetDateTime(int ordinal) => throw new NotSupportedException("Timestamps are text; the stores parse them.");

        public override string GetDataTypeName(int ordinal) => raw.sqlite3_column_decltype(Statement, ordinal).utf8_to_string() ?? string.Empty;

        public override Type GetFieldType(int ordinal) => GetValue(ordinal).GetType();

        public override bool NextResult() => false;

        public override bool Read() => throw new NotSupportedException("The session steps the statements; a mapper reads the row it is given.");

        public override System.Collections.IEnumerator GetEnumerator() => throw new NotSupportedException();
    }
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
