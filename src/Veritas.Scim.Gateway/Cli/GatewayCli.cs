using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using Veritas.Scim.Gateway.Cli.Simulation;

namespace Veritas.Scim.Gateway.Cli;

/// <summary>
/// Administration verbs of the gateway executable, on the same configuration and store as the
/// server, parsed by System.CommandLine (generated help, validation, completion). Scriptable:
/// no prompts; results on stdout (a new token alone), everything else on stderr; exit code 0 on
/// success, 1 when the store refuses or a check fails, 2 for a usage or configuration error.
/// </summary>
public static class GatewayCli
{
    public const int Succeeded = 0;
    public const int Failed = 1;
    public const int UsageError = 2;

    /// <summary>Configuration settings may follow the verb, as on the server's command line.</summary>
    private const string SettingsNote = "Configuration settings (--Scim:Store=SqlServer, --ConnectionStrings:Archive=…) may follow any verb; appsettings.json and the environment apply as for the server.";

    private static readonly string[] HelpWords = ["help", "--help", "-h", "-?"];

    /// <summary>True when the arguments name a verb (or ask for help or completions) rather than start the server.</summary>
    public static bool IsCommand(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0)
        {
            return false;
        }

        var verbs = CreateRootCommand(new CliContext(CliConsole.ForProcess(TextWriter.Null, TextWriter.Null), [])).Subcommands.Select(command => command.Name);
        return verbs.Contains(args[0], StringComparer.Ordinal) || HelpWords.Contains(args[0], StringComparer.Ordinal) || args[0].StartsWith('[');
    }

    public static async Task<int> RunAsync(string[] args) => await RunAsync(args, Console.Out, Console.Error, CancellationToken.None);

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var (words, settings) = Split(args);
        var root = CreateRootCommand(new CliContext(CliConsole.ForProcess(stdout, stderr), settings));
        var invocation = new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false };
        if (words is ["help"])
        {
            words = ["--help"];
        }

        var parse = root.Parse(words);
        if (parse.Action is ParseErrorAction)
        {
            // Errors first, then the help of the verb that was meant, all on stderr: stdout stays empty for scripts.
            foreach (var error in parse.Errors)
            {
                await stderr.WriteLineAsync(error.Message);
            }

            await stderr.WriteLineAsync();
            await root.Parse([.. CommandPath(parse.CommandResult), "--help"]).InvokeAsync(new InvocationConfiguration { Output = stderr, Error = stderr }, cancellationToken);
            return UsageError;
        }

        return await parse.InvokeAsync(invocation, cancellationToken);
    }

    /// <summary>The whole command line; another verb joins it with one <c>root.Add(…)</c>.</summary>
    internal static RootCommand CreateRootCommand(CliContext context)
    {
        var root = new RootCommand($"Veritas SCIM Gateway. Without a verb it runs the server (any ASP.NET Core setting applies, e.g. --urls). {SettingsNote}");
        root.Add(TenantCommands.Create(context));
        root.Add(DbCommands.Create(context));
        root.Add(AuditCommand.Create(context));
        root.Add(DoctorCommand.Create(context));
        root.Add(SimulateCommand.Create());
        ReplaceHelpNote(root);
        return root;
    }

    private static void ReplaceHelpNote(Command command)
    {
        foreach (var option in command.Options.OfType<HelpOption>())
        {
            option.Description = "Show help and usage information. " + SettingsNote;
        }

        foreach (var subcommand in command.Subcommands)
        {
            ReplaceHelpNote(subcommand);
        }
    }

    private static Stack<string> CommandPath(CommandResult result)
    {
        var path = new Stack<string>();
        for (var current = result; current.Parent is CommandResult parent; current = parent)
        {
            path.Push(current.Command.Name);
        }

        return path;
    }

    /// <summary>Verbs and their arguments first; configuration overrides (--Section:Key=value) after.</summary>
    private static (string[] Words, string[] Settings) Split(string[] args)
    {
        var isSetting = (string a) => a.StartsWith("--", StringComparison.Ordinal) && a.Contains(':', StringComparison.Ordinal);
        return ([.. args.Where(a => !isSetting(a))], [.. args.Where(isSetting)]);
    }
}
