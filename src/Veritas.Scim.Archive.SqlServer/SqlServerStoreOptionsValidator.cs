using Microsoft.Data.SqlClient;
using Microsoft.Extensions.Options;

namespace Veritas.Scim.Archive.SqlServer;

/// <summary>Rejects settings the driver or the resilience pipeline would refuse later, with the setting named.</summary>
internal sealed class SqlServerStoreOptionsValidator : IValidateOptions<SqlServerStoreOptions>
{
    // Polly's own bounds: breaker durations at least 0.5 s, attempt timeout 10 ms to 1 day.
    private static readonly TimeSpan MinimumBreakerDuration = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MinimumAttemptTimeout = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaximumDuration = TimeSpan.FromDays(1);

    public ValidateOptionsResult Validate(string? name, SqlServerStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add($"{nameof(SqlServerStoreOptions.ConnectionString)} is required.");
        }
        else if (!IsParsableConnectionString(options.ConnectionString))
        {
            failures.Add($"{nameof(SqlServerStoreOptions.ConnectionString)} is not a valid SQL Server connection string.");
        }

        if (options.CommandTimeout < TimeSpan.FromSeconds(1) || options.CommandTimeout > MaximumDuration)
        {
            failures.Add($"{nameof(SqlServerStoreOptions.CommandTimeout)} must be between 1 second and 1 day.");
        }

        if (options.AttemptTimeout < MinimumAttemptTimeout || options.AttemptTimeout > MaximumDuration)
        {
            failures.Add($"{nameof(SqlServerStoreOptions.AttemptTimeout)} must be between 10 ms and 1 day.");
        }

        if (options.RetryCount is < 0 or > 10)
        {
            failures.Add($"{nameof(SqlServerStoreOptions.RetryCount)} must be between 0 and 10.");
        }

        if (options.RetryBaseDelay < TimeSpan.Zero || options.RetryBaseDelay > TimeSpan.FromMinutes(1))
        {
            failures.Add($"{nameof(SqlServerStoreOptions.RetryBaseDelay)} must be between 0 and 1 minute.");
        }

        if (!(options.BreakerFailureRatio > 0 && options.BreakerFailureRatio <= 1))
        {
            failures.Add($"{nameof(SqlServerStoreOptions.BreakerFailureRatio)} must be above 0 and at most 1.");
        }

        if (options.BreakerMinimumThroughput < 2)
        {
            failures.Add($"{nameof(SqlServerStoreOptions.BreakerMinimumThroughput)} must be at least 2.");
        }

        if (options.BreakerSamplingDuration < MinimumBreakerDuration || options.BreakerSamplingDuration > MaximumDuration)
        {
            failures.Add($"{nameof(SqlServerStoreOptions.BreakerSamplingDuration)} must be between 0.5 seconds and 1 day.");
        }

        if (options.BreakerBreakDuration < MinimumBreakerDuration || options.BreakerBreakDuration > MaximumDuration)
        {
            failures.Add($"{nameof(SqlServerStoreOptions.BreakerBreakDuration)} must be between 0.5 seconds and 1 day.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsParsableConnectionString(string connectionString)
    {
        try
        {
            _ = new SqlConnectionStringBuilder(connectionString);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (FormatException)
        {
            return false;
        }
        catch (KeyNotFoundException)
        {
            return false;
        }
    }
}
