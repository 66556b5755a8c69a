namespace Veritas.Scim.Translation.Aliases;

/// <summary>
/// A practical RFC 5321 mailbox check: what a mail system will route, not every form the grammar
/// allows (no quoted local parts, no address literals). Non-ASCII letters are accepted (RFC 6531).
/// </summary>
public static class EmailAddressRules
{
    private const int MaxAddressLength = 254;
    private const int MaxLocalPartLength = 64;
    private const int MaxLabelLength = 63;
    private const string LocalPartSymbols = "!#$%&'*+-/=?^_`{|}~.";

    public static bool IsValid(string address)
    {
        if (address.Length is 0 or > MaxAddressLength)
        {
            return false;
        }

        var at = address.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at != address.LastIndexOf('@') || at == address.Length - 1)
        {
            return false;
        }

        return IsValidLocalPart(address.AsSpan(0, at)) && IsValidDomain(address.AsSpan(at + 1));
    }

    private static bool IsValidLocalPart(ReadOnlySpan<char> local)
    {
        if (local.Length > MaxLocalPartLength || local[0] == '.' || local[^1] == '.' || local.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in local)
        {
            if (!char.IsLetterOrDigit(c) && !LocalPartSymbols.Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsValidDomain(ReadOnlySpan<char> domain)
    {
        if (!domain.Contains('.'))
        {
            return false;
        }

        foreach (var labelRange in domain.Split('.'))
        {
            var label = domain[labelRange];
            if (label.Length is 0 or > MaxLabelLength || label[0] == '-' || label[^1] == '-')
            {
                return false;
            }

            foreach (var c in label)
            {
                if (!char.IsLetterOrDigit(c) && c != '-')
                {
                    return false;
                }
            }
        }

        return true;
    }
}
