using Veritas.Scim.Protocol.Errors;

namespace Veritas.Scim.Translation.Users;

/// <summary>
/// The conditional headers of a write (RFC 7644 §3.14, RFC 9110 §13.1.1–2), checked against the
/// version the write would change: If-Match must list it (or be <c>*</c>), If-None-Match must not.
/// </summary>
public sealed record EntityPreconditions(string? IfMatch, string? IfNoneMatch)
{
    /// <summary>The preconditions of a request, or null when it sent neither header.</summary>
    public static EntityPreconditions? From(string? ifMatch, string? ifNoneMatch)
        => ifMatch is null && ifNoneMatch is null ? null : new EntityPreconditions(ifMatch, ifNoneMatch);

    /// <summary>If-Match alone, as a client that read a version and writes on top of it sends.</summary>
    public static EntityPreconditions IfMatching(string tag) => new(tag, null);

    /// <summary>True when the client pinned versions with If-Match: a concurrent change is then 412, not retried.</summary>
    public bool PinsVersion => IfMatch is not null;

    /// <exception cref="ScimException">412 when If-Match lists no current tag, or If-None-Match lists it.</exception>
    public void ThrowIfNotMet(string currentTag)
    {
        ArgumentNullException.ThrowIfNull(currentTag);
        if (IfMatch is not null)
        {
            EntityTags.ThrowIfNoMatch(IfMatch, currentTag);
        }

        if (IfNoneMatch is not null && EntityTags.Matches(IfNoneMatch, currentTag))
        {
            throw new ScimException(412, null, $"The resource is at version {currentTag}, which If-None-Match excludes.");
        }
    }
}
