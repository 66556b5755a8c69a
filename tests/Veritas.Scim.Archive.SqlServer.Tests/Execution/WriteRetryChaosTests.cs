using CsCheck;
using Microsoft.Data.SqlClient;
using Polly;
using Polly.Simmy;
using Veritas.Scim.Archive.SqlServer.Execution;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.SqlServer.Tests.Execution;

/// <summary>
/// A retry never turns a success into an error. Faults are injected with Polly's chaos
/// strategies around a simulated procedure that counts its commits: after the commit (a timeout
/// or a dropped connection while the answer travels back) the write is not repeated and the
/// caller gets a retryable 503 (never 409/404/412 for its own success); before anything ran (a
/// deadlock victim, a connection that never opened) it is repeated and commits exactly once.
/// </summary>
/// <remarks>
/// The route chosen is "no retry after an ambiguous failure" rather than an idempotency key: a
/// key needs a table of outcomes per request and a client that sends the same key again, and
/// Entra sends none; its next cycle reads the user and converges from what is really stored.
/// </remarks>
public sealed class WriteRetryChaosTests
{
    private static readonly SqlServerStoreOptions Options = new()
    {
        ConnectionString = "Server=127.0.0.1,1;Database=none",
        RetryCount = 3,
        RetryBaseDelay = TimeSpan.Zero,
        BreakerMinimumThroughput = 1000,
        AttemptTimeout = TimeSpan.FromSeconds(30),
    };

    [Theory]
    [InlineData(-2)]
    [InlineData(10054)]
    [InlineData(233)]
    public async Task A_fault_injected_after_the_commit_of_a_write_is_not_retried_and_reaches_the_caller_as_a_retryable_503(int number)
    {
        var commits = 0;
        var afterCommit = Chaos(() => SqlExceptionFactory.Create(number));
        var runner = Runner();

        var unavailable = await Assert.ThrowsAsync<ArchiveStoreUnavailableException>(() => runner.RunAsync(
            "scim.usp_User_Create",
            writes: true,
            async (_, token) =>
            {
                Interlocked.Increment(ref commits);
                await afterCommit.ExecuteAsync(static _ => ValueTask.CompletedTask, token);
                return "created";
            },
            TestContext.Current.CancellationToken));

        Assert.Equal(1, commits);
        Assert.Equal(SqlServerCommandRunner.FailedCommandRetryAfter, unavailable.RetryAfter);
        Assert.Equal(number, Assert.IsType<SqlException>(unavailable.InnerException).Number);
    }

    [Fact]
    public async Task The_same_fault_after_a_read_is_retried_and_the_read_answers()
    {
        var attempts = 0;
        var onceAfterTheRead = Chaos(() => attempts == 1 ? SqlExceptionFactory.Create(-2) : null);
        var runner = Runner();

        var answer = await runner.RunAsync(
            "scim.usp_User_Get",
            writes: false,
            async (_, token) =>
            {
                Interlocked.Increment(ref attempts);
                await onceAfterTheRead.ExecuteAsync(static _ => ValueTask.CompletedTask, token);
                return "account";
            },
            TestContext.Current.CancellationToken);

        Assert.Equal("account", answer);
        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task A_slow_commit_that_outlives_the_attempt_timeout_is_not_repeated()
    {
        var commits = 0;
        var slowAnswer = new ResiliencePipelineBuilder().AddChaosLatency(1.0, TimeSpan.FromSeconds(30)).Build();
        var runner = new SqlServerCommandRunner(
            new SqlServerStoreOptions { ConnectionString = Options.ConnectionString, RetryCount = 3, RetryBaseDelay = TimeSpan.Zero, AttemptTimeout = TimeSpan.FromMilliseconds(50) },
            openConnection: (_, _) => Task.FromResult(new SqlConnection()));

        await Assert.ThrowsAsync<ArchiveStoreUnavailableException>(() => runner.RunAsync(
            "scim.usp_User_Delete",
            writes: true,
            async (_, token) =>
            {
                Interlocked.Increment(ref commits);
                await slowAnswer.ExecuteAsync(static _ => ValueTask.CompletedTask, token);
                return 0;
            },
            TestContext.Current.CancellationToken));

        Assert.Equal(1, commits);
    }

    [Fact]
    public async Task A_deadlock_victim_before_the_commit_is_retried_and_commits_once()
    {
        var commits = 0;
        var attempts = 0;
        var deadlockTwice = Chaos(() => Interlocked.Increment(ref attempts) <= 2 ? SqlExceptionFactory.Create(1205) : null);
        var runner = Runner();

        var answer = await runner.RunAsync(
            "scim.usp_User_Update",
            writes: true,
            async (_, token) =>
            {
                await deadlockTwice.ExecuteAsync(static _ => ValueTask.CompletedTask, token);
                Interlocked.Increment(ref commits);
                return "updated";
            },
            TestContext.Current.CancellationToken);

        Assert.Equal("updated", answer);
        Assert.Equal(1, commits);
        Assert.Equal(3, attempts);
    }

    [Fact]
    public async Task A_write_whose_connection_never_opened_is_retried()
    {
        var opens = 0;
        var commits = 0;
        var runner = new SqlServerCommandRunner(Options, openConnection: (_, _) =>
            Interlocked.Increment(ref opens) == 1 ? throw SqlExceptionFactory.Create(10060) : Task.FromResult(new SqlConnection()));

        var answer = await runner.RunAsync(
            "scim.usp_User_Create",
            writes: true,
            (_, _) =>
            {
                Interlocked.Increment(ref commits);
                return Task.FromResult("created");
            },
            TestContext.Current.CancellationToken);

        Assert.Equal("created", answer);
        Assert.Equal(2, opens);
        Assert.Equal(1, commits);
    }

    [Fact]
    public async Task A_refused_login_is_neither_retried_nor_hidden()
    {
        var opens = 0;
        var runner = new SqlServerCommandRunner(Options, openConnection: (_, _) =>
        {
            Interlocked.Increment(ref opens);
            throw SqlExceptionFactory.Create(18456);
        });

        var refused = await Assert.ThrowsAsync<SqlException>(() => runner.RunAsync("scim.usp_User_Get", writes: false, (_, _) => Task.FromResult(0), TestContext.Current.CancellationToken));

        Assert.Equal(18456, refused.Number);
        Assert.Equal(1, opens);
    }

    [Fact]
    public void A_write_is_retried_exactly_after_the_errors_that_prove_nothing_was_committed()
    {
        var writeContext = ResilienceContextPool.Shared.Get(TestContext.Current.CancellationToken);
        writeContext.Properties.Set(SqlServerResiliencePipeline.WritesKey, true);
        var readContext = ResilienceContextPool.Shared.Get(TestContext.Current.CancellationToken);
        Gen.OneOf(Gen.OneOfConst([.. SqlServerTransientErrors.Numbers]), Gen.Int[-5, 60000]).Sample(number =>
        {
            var failure = SqlExceptionFactory.Create(number);
            var write = SqlServerResiliencePipeline.MayRetry(writeContext, failure);
            var read = SqlServerResiliencePipeline.MayRetry(readContext, failure);
            var notOpened = SqlServerResiliencePipeline.MayRetry(writeContext, new ConnectionNotOpenedException(failure));
            return write == (number is 1205 or 50008)
                && read == SqlServerTransientErrors.IsTransientNumber(number)
                && notOpened == SqlServerTransientErrors.IsTransientNumber(number);
        });
        Assert.False(SqlServerResiliencePipeline.MayRetry(writeContext, new TimeoutException()));
        Assert.True(SqlServerResiliencePipeline.MayRetry(readContext, new TimeoutException()));
    }

    private static SqlServerCommandRunner Runner() =>
        new(Options, openConnection: (_, _) => Task.FromResult(new SqlConnection()));

    /// <summary>A chaos fault strategy that throws what <paramref name="fault"/> returns (null: no fault this time).</summary>
    private static ResiliencePipeline Chaos(Func<Exception?> fault) =>
        new ResiliencePipelineBuilder()
            .AddChaosFault(new Polly.Simmy.Fault.ChaosFaultStrategyOptions
            {
                InjectionRateGenerator = _ => ValueTask.FromResult(1.0),
                FaultGenerator = _ => ValueTask.FromResult(fault()),
            })
            .Build();
}
