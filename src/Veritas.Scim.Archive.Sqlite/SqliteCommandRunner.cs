using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.Sqlite;

/// <summary>
/// The one way this store talks to SQLite: every command text (one or more statements) is one
/// span on <see cref="ArchiveStoreTelemetry"/>. A write is a single command text that opens with
/// BEGIN IMMEDIATE, checks its preconditions with <c>scim_fail(code, detail)</c> guards, writes,
/// reads back and COMMITs; a guard that fires aborts the batch and the transaction is rolled back.
/// </summary>
internal sealed class SqliteCommandRunner
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

    private readonly string _connectionString;
    private readonly int _busyTimeoutMilliseconds;

    public SqliteCommandRunner(SqliteArchiveStoreOptions options)
    {
        _connectionString = options.BuildConnectionStringBuilder().ToString();
        _busyTimeoutMilliseconds = (int)options.BusyTimeout.TotalMilliseconds;
    }

    /// <summary>
    /// Runs one command text as one round trip and maps every row of every result set with
    /// <paramref name="mapRow"/>. Guards return no rows, so only the rows the caller asked for arrive.
    /// </summary>
    public async Task<List<T>> QueryAsync<T>(
        string operationName,
        string commandText,
        object? parameters,
        Func<DbDataReader, T> mapRow,
        CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var failure = new GuardFailure();
        if (commandText.Contains(FailFunctionName, StringComparison.Ordinal))
        {
            connection.CreateFunction<long, string, long>(FailFunctionName, failure.Raise);
        }

        try
        {
            return await RunAsync(connection, operationName, commandText, parameters, mapRow, cancellationToken);
        }
        catch (SqliteException exception)
        {
            await RollBackOpenTransactionAsync(connection);
            throw Translate(exception, failure);
        }
        catch
        {
            await RollBackOpenTransactionAsync(connection);
            throw;
        }
    }

    /// <summary>Runs one command text for its effect only (any rows it returns are ignored).</summary>
    public async Task ExecuteAsync(string operationName, string commandText, object? parameters, CancellationToken cancellationToken)
        => await QueryAsync(operationName, commandText, parameters, static _ => 0, cancellationToken);

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            // SQLite's own busy handler backs off in small steps, so concurrent writers queue on
            // BEGIN IMMEDIATE instead of failing or polling in 150 ms sleeps.
            raw.sqlite3_busy_timeout(connection.Handle, _busyTimeoutMilliseconds);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static async Task<List<T>> RunAsync<T>(
        SqliteConnection connection,
        string operationName,
        string commandText,
        object? parameters,
        Func<DbDataReader, T> mapRow,
        CancellationToken cancellationToken)
    {
        using var activity = ArchiveStoreTelemetry.StartCommand(DbSystem, operationName);
        try
        {
            var rows = new List<T>();
            var command = new CommandDefinition(commandText, parameters, cancellationToken: cancellationToken);
            await using var reader = await connection.ExecuteReaderAsync(command);
            // Every result set is read and every following statement is stepped explicitly, so an
            // error in any statement surfaces here (disposing a reader would swallow it). Once a
            // batch has started it runs to its end: cancellation must not stop it halfway, because
            // disposing the reader would then step the remaining statements anyway.
            do
            {
                while (await reader.ReadAsync(CancellationToken.None))
                {
                    rows.Add(mapRow(reader));
                }
            }
            while (await reader.NextResultAsync(CancellationToken.None));

            return rows;
        }
        catch (Exception exception)
        {
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, exception.GetType().Name);
            activity?.SetTag("error.type", exception.GetType().FullName);
            throw;
        }
    }

    private static async Task RollBackOpenTransactionAsync(SqliteConnection connection)
    {
        // A failed statement ends only itself; the batch's transaction stays open until rolled back,
        // and the pooled connection must not carry it to the next caller.
        if (connection.State != System.Data.ConnectionState.Open || raw.sqlite3_get_autocommit(connection.Handle) != 0)
        {
            return;
        }

        try
        {
            await RunAsync(connection, "rollback", "ROLLBACK;", null, static _ => 0, CancellationToken.None);
        }
        catch (SqliteException)
        {
            // The connection is unusable; never hand it back to the pool with a transaction open.
            SqliteConnection.ClearPool(connection);
            throw;
        }
    }

    private static Exception Translate(Exception exception, GuardFailure failure)
    {
        if (failure.Code is { } code)
        {
            return ArchiveStoreErrorCodes.ToException(code, failure.Detail, exception)
                ?? (Exception)new InvalidOperationException(failure.Detail, exception);
        }

        // The guards run under BEGIN IMMEDIATE, so the unique indexes are only a last line of
        // defence (for example against a writer that bypasses this store).
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

    /// <summary>What the <c>scim_fail</c> guard reported before it aborted the batch.</summary>
    private sealed class GuardFailure
    {
        public string? Code { get; private set; }

        public string? Detail { get; private set; }

        public long Raise(long code, string detail)
        {
            Code = code.ToString(System.Globalization.CultureInfo.InvariantCulture);
            Detail = string.IsNullOrEmpty(detail) ? null : detail;
            // SQLite reports this as an error of the guard's statement, which aborts the batch.
            throw new InvalidOperationException("Store guard " + code.ToString(System.Globalization.CultureInfo.InvariantCulture) + " fired.");
        }
    }
}
