using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using Veritas.Scim.Translation.Archive;
using Veritas.Scim.Translation.Diagnostics;

namespace Veritas.Scim.Archive.Sqlite;

/// <summary>
/// The one way this store talks to SQLite. Every command text (one or more statements) is one
/// span on <see cref="ArchiveStoreTelemetry"/>. Reads run on a small pool of long-lived read-only
/// connections; writes go to the one <see cref="SqliteWriter"/>, which runs each in its own
/// SAVEPOINT of a group-committed transaction. A write checks its preconditions with
/// <c>scim_fail(code, detail)</c> guards; a guard that fires stops the command text and its
/// savepoint is rolled back.
/// </summary>
internal sealed class SqliteCommandRunner : IAsyncDisposable, IDisposable
{
    public const string DbSystem = "sqlite";

    /// <summary>The SQL function a guard calls to stop a batch with a store error.</summary>
    /// <remarks>The codes are the shared store error numbers (<see cref="ArchiveStoreErrorCodes"/>), kept as SQL literals.</remarks>
    public const string FailFunctionName = "scim_fail";

    public const string NotFoundCode = ArchiveStoreErrorCodes.NotFound;
    public const string UserNameTakenCode = ArchiveStoreErrorCodes.UserNameTaken;
    public const string AliasTakenCode = ArchiveStoreErrorCodes.AliasTaken;
    public const string VersionMismatchCode = ArchiveStoreErrorCodes.VersionMismatch;
    public const string TenantNotFoundCode = ArchiveStoreErrorCodes.TenantNotFound;
    public const string TenantExistsCode = ArchiveStoreErrorCodes.TenantExists;
    public const string SchemaTooNewCode = "50100";

    /// <summary>
    /// Idle read connections kept open: enough for the 16 concurrent requests Entra sends, so a
    /// read never pays for opening a connection (schema parse, setup); a burst beyond it opens
    /// more and closes them after.
    /// </summary>
    internal static readonly int MaxIdleReaders = Math.Max(16, Environment.ProcessorCount * 4);

    private readonly string _connectionString;
    private readonly int _busyTimeoutMilliseconds;
    /// <summary>
    /// Last in, first out: a read takes the connection the last read gave back, so the two or
    /// three connections that the reads of a 2-core box actually overlap on keep warm page and CPU
    /// caches, instead of every read going round all sixteen (measured at 16 connections: 172 to
    /// 120 µs of CPU per Entra query request, ratio to the bare endpoint 0.37 to 0.51).
    /// </summary>
    private readonly ConcurrentStack<SqliteSession> _idleReaders = new();
    private readonly SqliteWriter _writer;
    private readonly ArchiveStoreMetrics? _metrics;
    private int _disposed;

    public SqliteCommandRunner(SqliteArchiveStoreOptions options, ArchiveStoreMetrics? metrics = null)
    {
        _metrics = metrics;
        _connectionString = options.BuildConnectionStringBuilder().ToString();
        _busyTimeoutMilliseconds = (int)options.BusyTimeout.TotalMilliseconds;
        _writer = new SqliteWriter(() => SqliteSession.Open(_connectionString, _busyTimeoutMilliseconds, readOnly: false), metrics);
    }

    /// <summary>Every command text some connection of this runner holds prepared (for the plan tests).</summary>
    internal IReadOnlyCollection<string> PreparedCommandTexts
        => [.. _writer.PreparedCommandTexts.Concat(_idleReaders.SelectMany(reader => reader.PreparedCommandTexts)).Distinct(StringComparer.Ordinal)];

    /// <summary>The command texts each idle read connection holds prepared, the next to be rented first (for the tests).</summary>
    internal IReadOnlyList<IReadOnlyCollection<string>> IdleReaderCommandTexts => [.. _idleReaders.Select(reader => reader.PreparedCommandTexts)];

    /// <summary>A read: one command text on a read connection, every row mapped with <paramref name="mapRow"/>.</summary>
    public Task<List<T>> QueryAsync<T>(
        string operationName,
        string commandText,
        StatementArguments? arguments,
        Func<System.Data.Common.DbDataReader, T> mapRow,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        using var activity = ArchiveStoreTelemetry.StartCommand(DbSystem, operationName, _metrics);
        var session = RentReader();
        var healthy = false;
        try
        {
            session.Failure.Clear();
            var rows = session.Query(commandText, arguments, mapRow);
            healthy = !session.InTransaction;
            return Task.FromResult(rows);
        }
        catch (Exception exception)
        {
            healthy = exception is SqliteException && !session.InTransaction;
            MarkFailed(activity, exception);
            throw Translate(exception, session.Failure);
        }
        finally
        {
            ReturnReader(session, healthy);
        }
    }

    /// <summary>
    /// A write: a command text without transaction control, run by the writer in its own
    /// savepoint; completes after the COMMIT that made it durable.
    /// </summary>
    public Task<List<T>> WriteAsync<T>(
        string operationName,
        string commandText,
        StatementArguments? arguments,
        Func<System.Data.Common.DbDataReader, T> mapRow,
        CancellationToken cancellationToken)
        => SendToWriterAsync(operationName, new WriteRequest<List<T>>(session => session.Query(commandText, arguments, mapRow)), cancellationToken);

    /// <summary>
    /// A write that reads before it writes: <paramref name="run"/> runs on the writer's session in
    /// its own savepoint, so what it reads is what it writes over; completes after the COMMIT.
    /// </summary>
    public Task<T> ReadAndWriteAsync<T>(string operationName, Func<SqliteSession, T> run, CancellationToken cancellationToken)
        => SendToWriterAsync(operationName, new WriteRequest<T>(run), cancellationToken);

    /// <summary>A script with its own BEGIN/COMMIT (schema, seed), run by the writer between batches.</summary>
    public Task<List<T>> RunScriptAsync<T>(
        string operationName,
        string script,
        StatementArguments? arguments,
        Func<System.Data.Common.DbDataReader, T> mapRow,
        CancellationToken cancellationToken)
        => SendToWriterAsync(operationName, new WriteRequest<List<T>>(session => session.Query(script, arguments, mapRow)) { RunsAlone = true }, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _writer.DisposeAsync().ConfigureAwait(false);
        while (_idleReaders.TryPop(out var reader))
        {
            reader.Dispose();
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>The store error a failed command text means (a guard's code, a unique index), else the exception itself.</summary>
    internal static Exception Translate(Exception exception, GuardFailure failure)
    {
        if (failure.Code is { } code)
        {
            return ArchiveStoreErrorCodes.ToException(code, failure.Detail, exception)
                ?? (Exception)new InvalidOperationException(failure.Detail, exception);
        }

        // The guards run in the one writer's transaction, so the unique indexes are only a last
        // line of defence (for example against a writer that bypasses this store).
        if (exception is SqliteException { SqliteErrorCode: raw.SQLITE_CONSTRAINT } constraint)
        {
            if (constraint.Message.Contains("ArchiveAccount.UserName", StringComparison.Ordinal))
            {
                return ArchiveStoreErrorCodes.ToException(ArchiveStoreErrorCodes.UserNameTaken, null, exception)!;
            }

            if (constraint.Message.Contains("ArchiveAccountAlias.SmtpAddress", StringComparison.Ordinal))
            {
                return ArchiveStoreErrorCodes.ToException(ArchiveStoreErrorCodes.AliasTaken, null, exception)!;
            }

            if (constraint.Message.Contains("TenantToken.TokenHash", StringComparison.Ordinal))
            {
                return ArchiveStoreErrorCodes.ToException(ArchiveStoreErrorCodes.TokenExists, null, exception)!;
            }
        }

        return exception;
    }

    private async Task<T> SendToWriterAsync<T>(string operationName, WriteRequest<T> request, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        // The span is the caller's (its parent is the caller's activity) and covers the wait in the queue.
        using var activity = ArchiveStoreTelemetry.StartCommand(DbSystem, operationName, _metrics);
        try
        {
            return await _writer.EnqueueAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            MarkFailed(activity, exception);
            throw;
        }
    }

    private static void MarkFailed(ArchiveStoreCommand activity, Exception exception)
    {
        activity.SetStatus(System.Diagnostics.ActivityStatusCode.Error, exception.GetType().Name);
        activity.SetTag("error.type", exception.GetType().FullName);
    }

    private SqliteSession RentReader()
        => _idleReaders.TryPop(out var reader)
            ? reader
            : SqliteSession.Open(_connectionString, _busyTimeoutMilliseconds, readOnly: true);

    private void ReturnReader(SqliteSession reader, bool healthy)
    {
        if (healthy && Volatile.Read(ref _disposed) == 0 && _idleReaders.Count < MaxIdleReaders)
        {
            _idleReaders.Push(reader);
        }
        else
        {
            reader.Dispose();
        }
    }
}
