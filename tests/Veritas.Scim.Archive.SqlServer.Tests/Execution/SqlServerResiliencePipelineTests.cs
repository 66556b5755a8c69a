using Polly;
using Polly.CircuitBreaker;
using Veritas.Scim.Archive.SqlServer.Execution;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.SqlServer.Tests.Execution;

public sealed class SqlServerResiliencePipelineTests
{
    private static readonly int[] TransientNumbers = [1205, -2, 233, 64, 4060, 10053, 10054, 10060, 10928, 10929, 40197, 40501, 40613, 49918, 49919, 49920, 50008];

    public static TheoryData<int> Transient { get; } = [.. TransientNumbers];

    [Theory]
    [MemberData(nameof(Transient))]
    public void The_documented_transient_numbers_are_transient(int number)
    {
        Assert.True(SqlServerTransientErrors.IsTransientNumber(number));
        Assert.True(SqlServerTransientErrors.IsTransient(SqlExceptionFactory.Create(number)));
    }

    [Theory]
    [InlineData(2627)]
    [InlineData(2601)]
    [InlineData(547)]
    [InlineData(8152)]
    [InlineData(50002)]
    [InlineData(18456)]
    public void Other_numbers_are_not_transient(int number)
    {
        Assert.False(SqlServerTransientErrors.IsTransientNumber(number));
        Assert.False(SqlServerTransientErrors.IsTransient(SqlExceptionFactory.Create(number)));
    }

    [Fact]
    public void Exactly_the_documented_numbers_are_transient() =>
        Assert.Equal(TransientNumbers.Order(), SqlServerTransientErrors.Numbers.Order());

    [Fact]
    public async Task A_deadlock_is_retried_until_it_succeeds()
    {
        var pipeline = SqlServerResiliencePipeline.Create(FastOptions(retryCount: 3));
        var attempts = 0;

        var result = await pipeline.ExecuteAsync(
            _ =>
            {
                attempts++;
                return attempts < 3 ? throw SqlExceptionFactory.Create(1205) : ValueTask.FromResult("done");
            },
            TestContext.Current.CancellationToken);

        Assert.Equal("done", result);
        Assert.Equal(3, attempts);
    }

    [Fact]
    public async Task A_transient_error_is_retried_the_configured_number_of_times_then_surfaces()
    {
        var pipeline = SqlServerResiliencePipeline.Create(FastOptions(retryCount: 2));
        var attempts = 0;

        var failure = await Assert.ThrowsAsync<Microsoft.Data.SqlClient.SqlException>(() => pipeline.ExecuteAsync(
            _ =>
            {
                attempts++;
                throw SqlExceptionFactory.Create(40613);
            },
            TestContext.Current.CancellationToken).AsTask());

        Assert.Equal(40613, failure.Number);
        Assert.Equal(3, attempts);
    }

    [Fact]
    public async Task A_timeout_is_retried()
    {
        var pipeline = SqlServerResiliencePipeline.Create(FastOptions(retryCount: 1));
        var attempts = 0;

        await Assert.ThrowsAsync<TimeoutException>(() => pipeline.ExecuteAsync(
            _ =>
            {
                attempts++;
                throw new TimeoutException();
            },
            TestContext.Current.CancellationToken).AsTask());

        Assert.Equal(2, attempts);
    }

    [Theory]
    [InlineData(2627)]
    [InlineData(547)]
    public async Task A_permanent_sql_error_is_not_retried(int number)
    {
        var pipeline = SqlServerResiliencePipeline.Create(FastOptions(retryCount: 3));
        var attempts = 0;

        await Assert.ThrowsAsync<Microsoft.Data.SqlClient.SqlException>(() => pipeline.ExecuteAsync(
            _ =>
            {
                attempts++;
                throw SqlExceptionFactory.Create(number);
            },
            TestContext.Current.CancellationToken).AsTask());

        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task A_mapped_store_error_is_not_retried()
    {
        var pipeline = SqlServerResiliencePipeline.Create(FastOptions(retryCount: 3));
        var attempts = 0;

        await Assert.ThrowsAsync<ArchiveStoreException>(() => pipeline.ExecuteAsync(
            _ =>
            {
                attempts++;
                throw new ArchiveStoreException(ArchiveStoreError.UserNameTaken, "taken");
            },
            TestContext.Current.CancellationToken).AsTask());

        Assert.Equal(1, attempts);
    }

    [Fact]
    public async Task Repeated_transient_failures_open_the_circuit()
    {
        var pipeline = SqlServerResiliencePipeline.Create(FastOptions(retryCount: 0, breakerMinimumThroughput: 2));
        for (var i = 0; i < 2; i++)
        {
            await Assert.ThrowsAsync<Microsoft.Data.SqlClient.SqlException>(() => pipeline.ExecuteAsync(
                _ => throw SqlExceptionFactory.Create(10054),
                TestContext.Current.CancellationToken).AsTask());
        }

        var calledWhileOpen = false;
        var broken = await Assert.ThrowsAsync<BrokenCircuitException>(() => pipeline.ExecuteAsync(
            _ =>
            {
                calledWhileOpen = true;
                return ValueTask.CompletedTask;
            },
            TestContext.Current.CancellationToken).AsTask());

        Assert.False(calledWhileOpen);
        Assert.NotNull(broken.RetryAfter);
    }

    [Fact]
    public async Task An_open_circuit_reaches_the_caller_as_unavailable_with_retry_after_and_without_a_connection()
    {
        var manualControl = new CircuitBreakerManualControl();
        var pipeline = new ResiliencePipelineBuilder()
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions { ManualControl = manualControl })
            .Build();
        await manualControl.IsolateAsync(TestContext.Current.CancellationToken);
        var options = FastOptions(retryCount: 0);
        var runner = new SqlServerCommandRunner(options, pipeline);

        var unavailable = await Assert.ThrowsAsync<ArchiveStoreUnavailableException>(() => runner.RunAsync(
            "scim.usp_User_Get",
            writes: false,
            (_, _) => Task.FromResult(0),
            TestContext.Current.CancellationToken));

        Assert.Equal(options.BreakerBreakDuration, unavailable.RetryAfter);
        Assert.IsType<BrokenCircuitException>(unavailable.InnerException, exactMatch: false);
    }

    private static SqlServerStoreOptions FastOptions(int retryCount, int breakerMinimumThroughput = 100) => new()
    {
        ConnectionString = "Server=127.0.0.1,1;Database=none;Connect Timeout=1",
        RetryCount = retryCount,
        RetryBaseDelay = TimeSpan.Zero,
        BreakerMinimumThroughput = breakerMinimumThroughput,
        BreakerFailureRatio = 0.5,
        BreakerSamplingDuration = TimeSpan.FromSeconds(30),
        BreakerBreakDuration = TimeSpan.FromSeconds(7),
    };
}
