using DbUp.Engine;

namespace Veritas.Scim.Archive.SqlServer;

/// <summary>
/// Starts every script of a deployment with the session settings the deployment needs on a live
/// database. Altering a view or procedure takes a schema-modification lock that calls in flight
/// hold schema-stability locks against, and a call that then reads an object the deployment has
/// already altered waits for it: a deadlock, in which SQL Server would otherwise sacrifice
/// whichever side wrote less log, sometimes the deployment (whose one transaction then undoes the
/// release). With DEADLOCK_PRIORITY HIGH the call is always the victim; its 1205 proves nothing
/// was committed, and the store retries it.
/// </summary>
internal sealed class DeploymentSessionPreprocessor : IScriptPreprocessor
{
    /// <summary>Its own batch, so that a script's CREATE OR ALTER stays the first statement of its batch.</summary>
    public const string SessionBatch = "SET DEADLOCK_PRIORITY HIGH;\nGO\n";

    public string Process(string contents) => SessionBatch + contents;
}
