using System.Reflection;
using Microsoft.Extensions.Options;

namespace Veritas.Scim.Gateway.Doctor;

/// <summary>
/// Invalid configuration as one line per problem, for an operator: the server prints these and
/// exits instead of a stack trace, the verbs do the same, and <c>doctor</c> shows them as rows.
/// </summary>
internal static class ConfigurationProblems
{
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
            return problems;
        }
    }

    /// <summary>The problems an exception of start-up reports; empty when it is not about configuration.</summary>
    public static IReadOnlyList<string> From(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            OptionsValidationException invalid => [.. invalid.Failures.Select(failure => failure.Trim())],
            AggregateException several => [.. several.InnerExceptions.SelectMany(From)],
            TargetInvocationException { InnerException: { } inner } => From(inner),
            // Binding a value to the wrong type ("Scim:Store=Nonsense") names the key and the value.
            InvalidOperationException conversion when conversion.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) => [conversion.Message],
            _ => [],
        };
    }

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
