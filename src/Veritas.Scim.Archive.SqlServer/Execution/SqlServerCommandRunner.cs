using System.Data;
using System.Diagnostics;
using System.Globalization;
using Dapper;
using Microsoft.Data.SqlClient;
using Polly;
using Polly.CircuitBreaker;
using Veritas.Scim.Archive.SqlServer.Procedures;
using Veritas.Scim.Archive.SqlServer.Querying;
using Veritas.Scim.Translation.Archive;
using Veritas.Scim.Translation.Diagnostics;

namespace Veritas.Scim.Archive.SqlServer.Execution;

/// <summary>
/// The one way the store talks to SQL Server: every command runs through <see cref="RunAsync{T}"/>,
/// which gives each attempt (each round trip) its span, runs it in the resilience pipeline and
/// maps documented procedure errors to <see cref="ArchiveStoreException"/>. A transient failure
/// that is not retried (retries used up, or a write whose outcome is unknown) reaches the caller
/// as <see cref="ArchiveStoreUnavailableException"/> (503 with Retry-After), never as a SCIM
/// answer about the data: the client's own retry then reads what actually happened.
/// </summary>
internal sealed class SqlServerCommandRunner
{
    public const string DbSystem = "mssql";

    /// <summary>What the caller is told to wait after one failed command (the breaker has its own).</summary>
    public static readonly TimeSpan FailedCommandRetryAfter = TimeSpan.FromSeconds(1);

    private readonly string _connectionString;
    private readonly int _commandTimeoutSeconds;
    private readonly TimeSpan _breakDuration;
    private readonly ResiliencePipeline _pipeline;
    private readonly ArchiveStoreMetrics? _metrics;
    private readonly Func<string, CancellationToken, Task<SqlConnection>> _openConnection;

    /// <param name="openConnection">Opens a connection for one attempt; tests replace it to run without a server.</param>
    /// <param name="metrics">Where durations, retries and the breaker's state go; null when nothing observes the store.</param>
    public SqlServerCommandRunner(
        SqlServerStoreOptions options,
        ResiliencePipeline? pipeline = null,
        Func<string, CancellationToken, Task<SqlConnection>>? openConnection = null,
        ArchiveStoreMetrics? metrics = null)
    {
        _metrics = metrics;
        ArgumentNullException.ThrowIfNull(options);
        _connectionString = options.ConnectionString;
        _commandTimeoutSeconds = (int)Math.Ceiling(options.CommandTimeout.TotalSeconds);
        _breakDuration = options.BreakerBreakDuration;
        _pipeline = pipeline ?? SqlServerResiliencePipeline.Create(options, metrics: metrics);
        _openConnection = openConnection ?? OpenAsync;
    }

    /// <summary>Calls a procedure and maps its rows.</summary>
    public Task<IReadOnlyList<TRow>> QueryAsync<TCall, TRow>(TCall call, CancellationToken cancellationToken)
        where TCall : IProcedureCall
    {
        // Bound before the first attempt: a value the columns cannot hold fails without a round trip.
        var parameters = ProcedureParameterBinder.Bind(call);
        return RunAsync(
            TCall.ProcedureName,
            TCall.Writes,
            async (connection, token) =>
            {
                var rows = await connection.QueryAsync<TRow>(Procedure(TCall.ProcedureName, parameters, token));
                return (IReadOnlyList<TRow>)rows.AsList();
            },
            cancellationToken);
    }

    /// <summary>Calls a procedure that returns no rows.</summary>
    public Task ExecuteAsync<TCall>(TCall call, CancellationToken cancellationToken)
        where TCall : IProcedureCall
    {
        var parameters = ProcedureParameterBinder.Bind(call);
        return RunAsync(
            TCall.ProcedureName,
            TCall.Writes,
            (connection, token) => connection.ExecuteAsync(Procedure(TCall.ProcedureName, parameters, token)),
            cancellationToken);
    }

    /// <summary>Runs the one built query: the total, then the page.</summary>
    public Task<ArchiveAccountPage> QueryPageAsync(BuiltQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return RunAsync(
            AccountQueryBuilder.OperationName,
            writes: false,
            async (connection, token) =>
            {
                var parameters = new DynamicParameters();
                foreach (var parameter in query.Parameters)
                {
                    parameters.Add(parameter.Name, parameter.Value, parameter.Type, ParameterDirection.Input, parameter.Size);
                }

                using var grid = await connection.QueryMultipleAsync(new CommandDefinition(
                    query.Sql, parameters, commandTimeout: _commandTimeoutSeconds, commandType: CommandType.Text, cancellationToken: token));
                var total = await grid.ReadSingleAsync<int>();
                var accounts = grid.IsConsumed
                    ? []
                    : (await grid.ReadAsync<AccountRow>()).Select(row => row.ToArchiveAccount()).ToList();
                return new ArchiveAccountPage(total, accounts);
            },
            cancellationToken);
    }

    internal async Task<T> RunAsync<T>(string operationName, bool writes, Func<SqlConnection, CancellationToken, Task<T>> command, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(operationName, cancellationToken);
        context.Properties.Set(SqlServerResiliencePipeline.WritesKey, writes);
        try
        {
            return await _pipeline.ExecuteAsync(
                static async (context, state) =>
                {
                    var (runner, operationName, command) = state;
                    var token = context.CancellationToken;
                    using var activity = ArchiveStoreTelemetry.StartCommand(DbSystem, operationName, runner._metrics);
                    try
                    {
                        SqlConnection connection;
                        try
                        {
                            connection = await runner._openConnection(runner._connectionString, token);
                        }
                        catch (Exception exception) when (exception is not OperationCanceledException)
                        {
                            throw new ConnectionNotOpenedException(exception);
                        }

                        await using (connection)
                        {
                            return await command(connection, token);
                        }
                    }
                    catch (SqlException exception)
                    {
                        // The error number only: messages may carry addresses the caller sent.
                        activity?.SetStatus(ActivityStatusCode.Error);
                        activity?.SetTag("error.type", exception.Number.ToString(CultureInfo.InvariantCulture));
                        if (SqlServerErrorMapper.TryMap(exception, out var mapped))
                        {
                            throw mapped;
                        }

                        throw;
                    }
                    catch (Exception exception) when (exception is not OperationCanceledException)
                    {
                        activity?.SetStatus(ActivityStatusCode.Error);
                        activity?.SetTag("error.type", (exception is ConnectionNotOpenedException { InnerException: { } inner } ? inner : exception).GetType().FullName);
                        throw;
                    }
                },
                context,
                (this, operationName, command));
        }
        catch (BrokenCircuitException exception)
        {
            throw new ArchiveStoreUnavailableException(
                "The archive database is failing; requests are shed until it recovers.",
                exception.RetryAfter ?? _breakDuration,
                exception);
        }
        catch (Exception exception) when (exception is not OperationCanceledException && SqlServerTransientErrors.IsTransient(exception))
        {
            throw new ArchiveStoreUnavailableException(
                writes && !SqlServerTransientErrors.ProvesNothingCommitted(exception)
                    ? "The archive database did not confirm the write; it may or may not have been applied. Read before retrying."
                    : "The archive database did not answer; retry later.",
                FailedCommandRetryAfter,
                exception);
        }
        catch (ConnectionNotOpenedException exception) when (exception.InnerException is { } inner)
        {
            // Not transient (e.g. a refused login): the driver's own error, as if unwrapped.
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(inner).Throw();
            throw;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private static async Task<SqlConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new SqlConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private CommandDefinition Procedure(string procedureName, DynamicParameters parameters, CancellationToken cancellationToken) =>
        new(
            procedureName,
            parameters,
            commandTimeout: _commandTimeoutSeconds,
            commandType: CommandType.StoredProcedure,
            cancellationToken: cancellationToken);
}
