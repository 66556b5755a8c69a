using Veritas.Scim.Protocol.Errors;

namespace Veritas.Scim.Translation.Users;

/// <summary><c>If-Match</c> and <c>If-None-Match</c> (RFC 7644 §3.14, RFC 9110 §13.1.1–2) against a resource's weak entity tag.</summary>
public static class EntityTags
{
    /// <exception cref="ScimException">412 when no listed tag matches.</exception>
    public static void ThrowIfNoMatch(string ifMatch, string currentTag)
    {
        ArgumentNullException.ThrowIfNull(ifMatch);
        ArgumentNullException.ThrowIfNull(currentTag);
        if (!Matches(ifMatch, currentTag))
        {
            throw new ScimException(412, null, $"The resource is now at version {currentTag}, not the one given in If-Match.");
        }
    }

    public static bool Matches(string ifMatch, string currentTag)
    {
        ArgumentNullException.ThrowIfNull(ifMatch);
        ArgumentNullException.ThrowIfNull(currentTag);
        var current = Opaque(currentTag);
        return ifMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Any(tag => tag == "*" || Opaque(tag) == current);
    }

    /// <summary>SCIM versions are weak tags; a client may echo them with or without the W/ prefix.</summary>
    private static string Opaque(string tag) => tag.StartsWith("W/", StringComparison.OrdinalIgnoreCase) ? tag[2..] : tag;
}
