using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Veritas.Scim.Gateway.Hosting;

namespace Veritas.Scim.Gateway.Doctor;

/// <summary>
/// Invalid configuration as one line per problem, for an operator: the server prints these and
/// exits instead of a stack trace, the verbs do the same, and <c>doctor</c> shows them as rows.
/// </summary>
internal static partial class ConfigurationProblems
{
    /// <summary>
    /// The gateway as the server builds it from these arguments, not started, with every problem
    /// of its configuration; the app is null when the configuration cannot even be bound.
    /// </summary>
    public static (WebApplication? App, IReadOnlyList<string> Problems) BuildServer(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        WebApplication app;
        try
        {
            app = ScimGatewayApplication.Build([.. args], builder => builder.Logging.ClearProviders());
        }
        catch (Exception exception) when (From(exception) is { Count: > 0 } problems)
        {
            return (null, problems);
        }

        return (app, Collect(app.Services));
    }

    /// <summary>Every options validation failure of the host at once (all options types, all members).</summary>
    public static IReadOnlyList<string> Collect(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
            return [];
        }
        catch (Exception exception) when (From(exception) is { Count: > 0 } problems)
        {
            // Options that read other options repeat those options' failures.
            return [.. problems.Distinct(StringComparer.Ordinal)];
        }
    }

    /// <summary>The problems an exception of start-up reports; empty when it is not about configuration.</summary>
    public static IReadOnlyList<string> From(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            OptionsValidationException invalid => [.. invalid.Failures.Select(Readable)],
            AggregateException several => [.. several.InnerExceptions.SelectMany(From)],
            TargetInvocationException { InnerException: { } inner } => From(inner),
            // Binding a value to the wrong type ("Scim:Store=Nonsense") names the key and the value.
            InvalidOperationException conversion when conversion.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) => [conversion.Message],
            _ => [],
        };
    }

    /// <summary>"DataAnnotation validation failed for 'X' members: 'M' with the error: 'E'." becomes "X.M: E".</summary>
    private static string Readable(string failure)
    {
        var match = DataAnnotationFailure().Match(failure.Trim());
        return match.Success ? $"{match.Groups["type"].Value}.{match.Groups["member"].Value}: {match.Groups["error"].Value}" : failure.Trim();
    }

    [GeneratedRegex(@"^DataAnnotation validation failed for '(?<type>[^']+)' members: '(?<member>[^']*)' with the error: '(?<error>.*)'\.$", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex DataAnnotationFailure();

    public static async Task WriteAsync(IReadOnlyList<string> problems, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(writer);
        foreach (var problem in problems)
        {
            await writer.WriteLineAsync("Configuration error: " + problem);
        }
    }
}
