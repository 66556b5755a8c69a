using System.Diagnostics;
using System.Threading.Channels;
using Veritas.Scim.Translation.Diagnostics;

namespace Veritas.Scim.Archive.Sqlite;

/// <summary>
/// The one writer of the database: a long-lived connection on its own thread, fed by a queue.
/// It takes what is waiting (at most <see cref="MaxBatchSize"/> requests), opens one transaction,
/// runs each request in its own SAVEPOINT (a refusal rolls back only itself), COMMITs once (one
/// fsync for the batch, synchronous=FULL) and only then completes the requests: a 2xx is never
/// sent for a change that is not on disk. A failed COMMIT fails the whole batch.
/// </summary>
internal sealed class SqliteWriter : IAsyncDisposable, IDisposable
{
    /// <summary>The most requests one transaction carries (bounds the latency a batch adds).</summary>
    internal const int MaxBatchSize = 64;

    /// <summary>Statistics are refreshed after this many committed writes, so plans follow the tenant's growth.</summary>
    internal const int WritesPerOptimize = 1_000;

    /// <summary>And at least this often while writes happen.</summary>
    internal static readonly TimeSpan OptimizeInterval = TimeSpan.FromHours(1);

    private readonly Func<SqliteSession> _openSession;
    private readonly ArchiveStoreMetrics? _metrics;
    private readonly Channel<WriteRequest> _queue = Channel.CreateUnbounded<WriteRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<WriteRequest> _batch = new(MaxBatchSize);
    private readonly Lock _startLock = new();
    private Thread? _thread;
    private SqliteSession? _session;
    private int _writesSinceOptimize;
    private long _lastOptimize = Stopwatch.GetTimestamp();

    public SqliteWriter(Func<SqliteSession> openSession, ArchiveStoreMetrics? metrics = null)
    {
        _openSession = openSession;
        _metrics = metrics;
    }

    /// <summary>The command texts the writer's connection holds prepared.</summary>
    public IReadOnlyCollection<string> PreparedCommandTexts => _session?.PreparedCommandTexts ?? [];

    /// <summary>
    /// Queues one request. Cancelled before the writer takes it, it is removed and writes nothing;
    /// once taken, it runs to the end of its batch.
    /// </summary>
    public Task<T> EnqueueAsync<T>(WriteRequest<T> request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        EnsureStarted();
        request.ListenForCancellation(cancellationToken);
        if (!_queue.Writer.TryWrite(request))
        {
            request.Fail(new ObjectDisposedException(nameof(SqliteWriter), "The embedded store is shutting down."));
        }

        return request.Completion;
    }

    /// <summary>Stops taking requests, runs every request already queued, then closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        bool running;
        lock (_startLock)
        {
            running = _thread is not null;
        }

        if (running)
        {
            await _stopped.Task.ConfigureAwait(false);
        }
        else
        {
            _session?.Dispose();
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private void EnsureStarted()
    {
        if (Volatile.Read(ref _thread) is not null)
        {
            return;
        }

        lock (_startLock)
        {
            if (_thread is null)
            {
                // UnsafeStart: the thread serves every request, so it must not keep the execution
                // context of the request that happened to start it (its AsyncLocals, and its
                // Activity, which stops with that request: every change that restored that stopped
                // Activity as current made Activity throw and catch an InvalidOperationException).
                var thread = new Thread(Run) { IsBackground = true, Name = "Veritas SQLite writer" };
                thread.UnsafeStart();
                Volatile.Write(ref _thread, thread);
            }
        }
    }

    private void Run()
    {
        try
        {
            // A dedicated thread may block: it waits for work here and for the fsync in COMMIT,
            // and holds no thread-pool thread while it does.
            while (_queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
            {
                RunWhatIsWaiting();
            }
        }
        finally
        {
            _session?.Dispose();
            _session = null;
            _stopped.TrySetResult();
        }
    }

    private void RunWhatIsWaiting()
    {
        _batch.Clear();
        while (_batch.Count < MaxBatchSize && _queue.Reader.TryPeek(out var next))
        {
            if (next.RunsAlone && _batch.Count > 0)
            {
                break;
            }

            _queue.Reader.TryRead(out _);
            if (!next.TryStart())
            {
                continue;
            }

            if (next.RunsAlone)
            {
                RunAlone(next);
                return;
            }

            _batch.Add(next);
        }

        if (_batch.Count > 0)
        {
            RunBatch();
        }
    }

    private SqliteSession? Session(List<WriteRequest> waiting)
    {
        try
        {
            return _session ??= _openSession();
        }
        catch (Exception exception)
        {
            foreach (var request in waiting)
            {
                request.Fail(exception);
            }

            return null;
        }
    }

    /// <summary>A script with its own transaction control (schema, seed) runs outside any batch.</summary>
    private void RunAlone(WriteRequest request)
    {
        if (Session([request]) is not { } session)
        {
            return;
        }

        session.Failure.Clear();
        try
        {
            request.Run(session);
            request.Succeed();
        }
        catch (Exception exception)
        {
            request.Fail(SqliteCommandRunner.Translate(exception, session.Failure));
            RollBackOrReopen(session);
        }
    }

    private void RunBatch()
    {
        if (Session(_batch) is not { } session)
        {
            return;
        }

        var outcomes = new Exception?[_batch.Count];
        long committing;
        try
        {
            session.Execute("BEGIN IMMEDIATE;");
            for (var index = 0; index < _batch.Count; index++)
            {
                outcomes[index] = RunInSavepoint(session, _batch[index]);
            }

            committing = Stopwatch.GetTimestamp();
            session.Execute("COMMIT;");
        }
        catch (Exception exception)
        {
            // The transaction is lost (COMMIT failed, or SQLite rolled it back itself): nothing
            // of the batch is on disk, so no request of it may report success or a refusal.
            RollBackOrReopen(session);
            foreach (var request in _batch)
            {
                request.Fail(exception);
            }

            return;
        }

        var commitDuration = Stopwatch.GetElapsedTime(committing);
        for (var index = 0; index < _batch.Count; index++)
        {
            if (outcomes[index] is { } refusal)
            {
                _batch[index].Fail(refusal);
            }
            else
            {
                _batch[index].Succeed();
            }
        }

        _metrics?.GroupCommitted(SqliteCommandRunner.DbSystem, _batch.Count, commitDuration);
        KeepStatisticsCurrent(session, _batch.Count);
    }

    /// <summary>Runs one request inside the batch; its refusal is returned, its changes rolled back.</summary>
    private static Exception? RunInSavepoint(SqliteSession session, WriteRequest request)
    {
        session.Failure.Clear();
        session.Execute("SAVEPOINT request;");
        try
        {
            request.Run(session);
            session.Execute("RELEASE request;");
            return null;
        }
        catch (Exception exception) when (session.InTransaction)
        {
            var refusal = SqliteCommandRunner.Translate(exception, session.Failure);
            session.Execute("ROLLBACK TO request; RELEASE request;");
            return refusal;
        }
    }

    private void RollBackOrReopen(SqliteSession session)
    {
        try
        {
            if (session.InTransaction)
            {
                session.Execute("ROLLBACK;");
            }
        }
        catch (Exception)
        {
            // A connection that cannot roll back is not reused: the next batch opens a new one.
            session.Dispose();
            _session = null;
        }
    }

    private void KeepStatisticsCurrent(SqliteSession session, int committed)
    {
        _writesSinceOptimize += committed;
        if (_writesSinceOptimize < WritesPerOptimize && Stopwatch.GetElapsedTime(_lastOptimize) < OptimizeInterval)
        {
            return;
        }

        _writesSinceOptimize = 0;
        _lastOptimize = Stopwatch.GetTimestamp();
        try
        {
            // Analyses, within analysis_limit, every table whose statistics are stale (0x10000: all
            // tables, not only those this connection has used since it opened).
            session.Execute("PRAGMA optimize = 0x10002;");
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            // Statistics are an optimisation (the hot plans are pinned); the next round tries again.
        }
    }
}

/// <summary>One request for the writer; completed only after its batch's COMMIT.</summary>
internal abstract class WriteRequest
{
    private const int Queued = 0;
    private const int Started = 1;
    private const int Cancelled = 2;

    private int _state;
    private CancellationTokenRegistration _cancellation;

    /// <summary>A script that opens and commits its own transaction.</summary>
    public bool RunsAlone { get; init; }

    /// <summary>Claims the request for the writer; false when it was cancelled while queued.</summary>
    public bool TryStart()
    {
        if (Interlocked.CompareExchange(ref _state, Started, Queued) != Queued)
        {
            return false;
        }

        _cancellation.Dispose();
        return true;
    }

    public void ListenForCancellation(CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled)
        {
            _cancellation = cancellationToken.Register(() =>
            {
                if (Interlocked.CompareExchange(ref _state, Cancelled, Queued) == Queued)
                {
                    Cancel(cancellationToken);
                }
            });
        }
    }

    public abstract void Run(SqliteSession session);

    public abstract void Succeed();

    public abstract void Fail(Exception exception);

    protected abstract void Cancel(CancellationToken cancellationToken);
}

/// <summary>A write: what it runs on the writer's session, and the result it completes with after the COMMIT.</summary>
internal sealed class WriteRequest<T>(Func<SqliteSession, T> run) : WriteRequest
{
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _result;

    public Task<T> Completion => _completion.Task;

    public override void Run(SqliteSession session) => _result = run(session);

    public override void Succeed() => _completion.TrySetResult(_result!);

    public override void Fail(Exception exception) => _completion.TrySetException(exception);

    protected override void Cancel(CancellationToken cancellationToken) => _completion.TrySetCanceled(cancellationToken);
}
