namespace Veritas.Scim.Protocol.Filtering;

/// <summary>The spelling of operators and keywords, shared by the parser and the printer.</summary>
internal static class FilterSyntax
{
    public const string Present = "pr";
    public const string And = "and";
    public const string Or = "or";
    public const string Not = "not";
    public const string ExpectedOperators = "eq, ne, co, sw, ew, gt, ge, lt, le or pr";

    public static string Spell(ComparisonOperator comparison) => comparison switch
    {
        ComparisonOperator.Equal => "eq",
        ComparisonOperator.NotEqual => "ne",
        ComparisonOperator.Contains => "co",
        ComparisonOperator.StartsWith => "sw",
        ComparisonOperator.EndsWith => "ew",
        ComparisonOperator.GreaterThan => "gt",
        ComparisonOperator.GreaterThanOrEqual => "ge",
        ComparisonOperator.LessThan => "lt",
        ComparisonOperator.LessThanOrEqual => "le",
        _ => throw new ArgumentOutOfRangeException(nameof(comparison), comparison, null),
    };

    /// <summary>Operators are case-insensitive (RFC 7644 §3.4.2.2); Entra sends <c>Eq</c> at times.</summary>
    public static bool TryParseOperator(ReadOnlySpan<char> word, out ComparisonOperator comparison)
    {
        comparison = default;
        if (word.Length != 2)
        {
            return false;
        }

        Span<char> lower = stackalloc char[2];
        word.ToLowerInvariant(lower);
        switch (lower)
        {
            case "eq": comparison = ComparisonOperator.Equal; return true;
            case "ne": comparison = ComparisonOperator.NotEqual; return true;
            case "co": comparison = ComparisonOperator.Contains; return true;
            case "sw": comparison = ComparisonOperator.StartsWith; return true;
            case "ew": comparison = ComparisonOperator.EndsWith; return true;
            case "gt": comparison = ComparisonOperator.GreaterThan; return true;
            case "ge": comparison = ComparisonOperator.GreaterThanOrEqual; return true;
            case "lt": comparison = ComparisonOperator.LessThan; return true;
            case "le": comparison = ComparisonOperator.LessThanOrEqual; return true;
            default: return false;
        }
    }

    /// <summary>ATTRNAME = ALPHA *(nameChar); <c>$</c> is admitted for <c>$ref</c>.</summary>
    public static bool IsNameStart(char c) => char.IsAsciiLetter(c) || c == '$';

    public static bool IsNameChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '$';

    /// <summary>The characters a path token may hold: names, the URN's colons and dots.</summary>
    public static bool IsPathChar(char c) => IsNameChar(c) || c is ':' or '.';

    public static bool IsValidName(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || !IsNameStart(name[0]))
        {
            return false;
        }

        foreach (var c in name[1..])
        {
            if (!IsNameChar(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The JSON number grammar (RFC 8259 §6).</summary>
    public static bool IsJsonNumber(ReadOnlySpan<char> text)
    {
        var i = 0;
        if (i < text.Length && text[i] == '-')
        {
            i++;
        }

        if (i >= text.Length || !char.IsAsciiDigit(text[i]))
        {
            return false;
        }

        if (text[i] == '0')
        {
            i++;
        }
        else
        {
            i = SkipDigits(text, i);
        }

        if (i < text.Length && text[i] == '.')
        {
            var start = ++i;
            i = SkipDigits(text, i);
            if (i == start)
            {
                return false;
            }
        }

        if (i < text.Length && text[i] is 'e' or 'E')
        {
            i++;
            if (i < text.Length && text[i] is '+' or '-')
            {
                i++;
            }

            var start = i;
            i = SkipDigits(text, i);
            if (i == start)
            {
                return false;
            }
        }

        return i == text.Length;
    }

    private static int SkipDigits(ReadOnlySpan<char> text, int i)
    {
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
        }

        return i;
    }
}
