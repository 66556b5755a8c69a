namespace Veritas.Scim.Translation.Archive;

/// <summary>
/// What <see cref="IArchiveAccountStore.ChangeAsync"/> did: the account as the change saw it, the
/// state the change asked for and the account as written; <see cref="State"/> and
/// <see cref="After"/> are null when the change asked for nothing (nothing was written).
/// </summary>
public sealed record ArchiveAccountChange(ArchiveAccount Before, ArchiveAccountState? State, ArchiveAccount? After);
