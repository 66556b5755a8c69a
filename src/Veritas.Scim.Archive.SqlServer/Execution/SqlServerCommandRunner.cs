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
/// maps documented procedure errors to <see cref="ArchiveStoreException"/>.
/// </summary>
internal sealed class SqlServerCommandRunner
{
    public const string DbSystem = "mssql";

    private readonly string _connectionString;
    private readonly int _commandTimeoutSeconds;
    private readonly TimeSpan _breakDuration;
    private readonly ResiliencePipeline _pipeline;
    private readonly ArchiveStoreMetrics? _metrics;

    /// <param name="metrics">Where durations, retries and the breaker's state go; null when nothing observes the store.</param>
    public SqlServerCommandRunner(SqlServerStoreOptions options, ResiliencePipeline? pipeline = null, ArchiveStoreMetrics? metrics = null)
    {
        _metrics = metrics;
        ArgumentNullException.ThrowIfNull(options);
        _connectionString = options.ConnectionString;
        _commandTimeoutSeconds = (int)Math.Ceiling(options.CommandTimeout.TotalSeconds);
        _breakDuration = options.BreakerBreakDuration;
        _pipeline = pipeline ?? SqlServerResiliencePipeline.Create(options, metrics: metrics);
    }

    /// <summary>Calls a procedure and maps its rows.</summary>
    public Task<IReadOnlyList<TRow>> QueryAsync<TCall, TRow>(TCall call, CancellationToken cancellationToken)
        where TCall : IProcedureCall
    {
        // Bound before the first attempt: a value the columns cannot hold fails without a round trip.
        var parameters = ProcedureParameterBinder.Bind(call);
        return RunAsync(
            TCall.ProcedureName,
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
            (connection, token) => connection.ExecuteAsync(Procedure(TCall.ProcedureName, parameters, token)),
            cancellationToken);
    }

    /// <summary>Runs the one built query: the total, then the page.</summary>
    public Task<ArchiveAccountPage> QueryPageAsync(BuiltQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return RunAsync(
            AccountQueryBuilder.OperationName,
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

    internal async Task<T> RunAsync<T>(string operationName, Func<SqlConnection, CancellationToken, Task<T>> command, CancellationToken cancellationToken)
    {
        try
        {
            return await _pipeline.ExecuteAsync(
                async token =>
                {
                    using var activity = ArchiveStoreTelemetry.StartCommand(DbSystem, operationName, _metrics);
                    try
                    {
                        await using var connection = new SqlConnection(_connectionString);
                        await connection.OpenAsync(token);
                        return await command(connection, token);
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
                        activity?.SetTag("error.type", exception.GetType().FullName);
                        throw;
                    }
                },
                cancellationToken);
        }
        catch (BrokenCircuitException exception)
        {
            throw new ArchiveStoreUnavailableException(
                "The archive database is failing; requests are shed until it recovers.",
                exception.RetryAfter ?? _breakDuration,
                exception);
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
