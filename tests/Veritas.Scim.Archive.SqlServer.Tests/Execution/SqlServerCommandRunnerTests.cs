using System.Diagnostics;
using Veritas.Scim.Archive.SqlServer.Execution;
using Veritas.Scim.Archive.SqlServer.Procedures;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.SqlServer.Tests.Execution;

public sealed class SqlServerCommandRunnerTests
{
    [Fact]
    public async Task Each_attempt_is_one_span_named_after_the_procedure_without_parameter_values()
    {
        // The listener hears every test of the assembly that runs in parallel: keep this call's trace only.
        var spans = new System.Collections.Concurrent.ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ArchiveStoreTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        using var test = new Activity(nameof(Each_attempt_is_one_span_named_after_the_procedure_without_parameter_values)).Start();

        // Nothing listens on port 1: opening the connection fails at once, after the span started.
        var runner = new SqlServerCommandRunner(new SqlServerStoreOptions
        {
            ConnectionString = "Server=tcp:127.0.0.1,1;Database=none;Connect Timeout=1;Encrypt=false;Pooling=false",
            RetryCount = 0,
        });

        await Assert.ThrowsAnyAsync<Exception>(() => runner.QueryAsync<UserFindByUserNameCall, AccountRow>(
            new UserFindByUserNameCall(5, "secret.person@example.com"), TestContext.Current.CancellationToken));

        var span = Assert.Single(spans, span => span.TraceId == test.TraceId);
        Assert.Equal("scim.usp_User_FindByUserName", span.OperationName);
        Assert.Equal(ActivityKind.Client, span.Kind);
        Assert.Equal("mssql", span.GetTagItem("db.system.name"));
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.DoesNotContain(span.TagObjects, tag => tag.Value?.ToString()?.Contains("secret.person", StringComparison.Ordinal) == true);
    }
}
