using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.SqlServer.Tests;

public sealed class SqlServerStoreOptionsTests
{
    private const string ValidConnectionString = "Server=db.internal;Database=Archive;Integrated Security=true;Encrypt=true";

    [Fact]
    public void Defaults_with_a_connection_string_are_valid()
    {
        var result = new SqlServerStoreOptionsValidator().Validate(null, new SqlServerStoreOptions { ConnectionString = ValidConnectionString });
        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Each_bad_setting_is_named()
    {
        var result = new SqlServerStoreOptionsValidator().Validate(null, new SqlServerStoreOptions
        {
            ConnectionString = "this is not; a=connection string",
            CommandTimeout = TimeSpan.Zero,
            AttemptTimeout = TimeSpan.FromMilliseconds(1),
            RetryCount = -1,
            RetryBaseDelay = TimeSpan.FromSeconds(-1),
            BreakerFailureRatio = 0,
            BreakerMinimumThroughput = 1,
            BreakerSamplingDuration = TimeSpan.FromMilliseconds(100),
            BreakerBreakDuration = TimeSpan.FromMilliseconds(100),
        });

        Assert.True(result.Failed);
        string[] settings =
        [
            "ConnectionString", "CommandTimeout", "AttemptTimeout", "RetryCount", "RetryBaseDelay", "BreakerFailureRatio",
            "BreakerMinimumThroughput", "BreakerSamplingDuration", "BreakerBreakDuration",
        ];
        Assert.All(settings, setting => Assert.Contains(setting, result.FailureMessage, StringComparison.Ordinal));
    }

    [Fact]
    public void The_store_registers_from_a_configuration_section_and_resolves_without_touching_the_database()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Archive:SqlServer:ConnectionString"] = ValidConnectionString,
                ["Archive:SqlServer:RetryCount"] = "5",
                ["Archive:SqlServer:BreakerBreakDuration"] = "00:00:09",
            })
            .Build();
        var services = new ServiceCollection().AddSqlServerArchiveStore(configuration.GetSection(SqlServerStoreOptions.SectionName));
        using var provider = services.BuildServiceProvider(validateScopes: true);

        provider.GetRequiredService<IStartupValidator>().Validate();
        var options = provider.GetRequiredService<IOptions<SqlServerStoreOptions>>().Value;
        Assert.Equal(5, options.RetryCount);
        Assert.Equal(TimeSpan.FromSeconds(9), options.BreakerBreakDuration);
        Assert.IsType<SqlServerArchiveAccountStore>(provider.GetRequiredService<IArchiveAccountStore>());
        Assert.IsType<SqlServerTenantStore>(provider.GetRequiredService<ITenantStore>());
    }

    [Fact]
    public void Invalid_options_fail_at_start()
    {
        var services = new ServiceCollection().AddSqlServerArchiveStore(options => options.RetryCount = 99);
        using var provider = services.BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains("ConnectionString", failure.Message, StringComparison.Ordinal);
        Assert.Contains("RetryCount", failure.Message, StringComparison.Ordinal);
    }
}
