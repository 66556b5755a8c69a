namespace Veritas.Scim.Gateway.Cli.Simulation;

/// <summary>Which of Entra's provisioning cycles a simulation replays (each after the initial cycle it needs).</summary>
internal enum SimulatedCycle
{
    /// <summary>Test Connection, then the initial cycle: query each user (none found) and create it.</summary>
    Initial,

    /// <summary>The initial cycle, then an incremental one: query each user (found) and PATCH its changes.</summary>
    Incremental,

    /// <summary>The initial cycle, then leavers: query each user and PATCH <c>active</c> to "False".</summary>
    Leavers,

    /// <summary>Initial, incremental and leavers, then DELETE of every user.</summary>
    All,
}

/// <summary>What one <c>simulate</c> run does, as given on the command line.</summary>
internal sealed record SimulationSettings(Uri TenantUrl, string Token, int Users, int Concurrency, SimulatedCycle Cycle, bool Cleanup)
{
    /// <summary>The phases the cycle runs, in order.</summary>
    public IReadOnlyList<SimulationPhase> Phases => Cycle switch
    {
        SimulatedCycle.Initial => [SimulationPhase.TestConnection, SimulationPhase.Initial],
        SimulatedCycle.Incremental => [SimulationPhase.TestConnection, SimulationPhase.Initial, SimulationPhase.Incremental],
        SimulatedCycle.Leavers => [SimulationPhase.TestConnection, SimulationPhase.Initial, SimulationPhase.Leavers],
        _ => [SimulationPhase.TestConnection, SimulationPhase.Initial, SimulationPhase.Incremental, SimulationPhase.Leavers, SimulationPhase.Delete],
    };
}

/// <summary>One phase of a run; its name is what the report and the progress bar show.</summary>
internal enum SimulationPhase
{
    TestConnection,
    Initial,
    Incremental,
    Leavers,
    Delete,
    Cleanup,
}

internal static class SimulationPhaseNames
{
    public static string Of(SimulationPhase phase) => phase switch
    {
        SimulationPhase.TestConnection => "test-connection",
        SimulationPhase.Initial => "initial",
        SimulationPhase.Incremental => "incremental",
        SimulationPhase.Leavers => "leavers",
        SimulationPhase.Delete => "delete",
        _ => "cleanup",
    };
}
