using Veritas.Scim.Protocol.Errors;

namespace Veritas.Scim.Translation.Users;

/// <summary>
/// The conditional headers of a request (RFC 7644 §3.14, RFC 9110 §13.1.1–2), checked against the
/// version it reads or would change: If-Match must list it (or be <c>*</c>), If-None-Match must not.
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

    /// <summary>
    /// Both headers against the current version, for a read or a write: If-Match that lists no
    /// current tag is 412; the answer is whether If-None-Match lists it (a GET then answers 304).
    /// </summary>
    /// <exception cref="ScimException">412 when If-Match lists no current tag.</exception>
    public bool NoneMatchExcludes(string currentTag)
    {
        ArgumentNullException.ThrowIfNull(currentTag);
        if (IfMatch is not null)
        {
            EntityTags.ThrowIfNoMatch(IfMatch, currentTag);
        }

        return IfNoneMatch is not null && EntityTags.Matches(IfNoneMatch, currentTag);
    }

    /// <summary>For a write: it goes ahead only on a version If-Match lists and If-None-Match does not.</summary>
    /// <exception cref="ScimException">412 when If-Match lists no current tag, or If-None-Match lists it.</exception>
    public void ThrowIfNotMet(string currentTag)
    {
        if (NoneMatchExcludes(currentTag))
        {
            throw new ScimException(412, null, $"The resource is at version {currentTag}, which If-None-Match excludes.");
        }
    }
}
