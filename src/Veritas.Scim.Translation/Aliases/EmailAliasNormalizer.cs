using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Veritas.Scim.Protocol.Errors;

namespace Veritas.Scim.Translation.Aliases;

/// <summary>
/// Turns the <c>emailAliases</c> value a client sent (Entra usually sends
/// <c>Join(",", proxyAddresses)</c>) into the set of SMTP aliases the archive should route.
/// </summary>
public static class EmailAliasNormalizer
{
    private const string SmtpProxyType = "smtp";

    /// <summary>
    /// Normalises <paramref name="raw"/>: a string (entries separated by commas, semicolons or white
    /// space), an array of strings, or an array of <c>{"value": …}</c> objects; null means no aliases.
    /// </summary>
    /// <exception cref="ScimException">400 invalidValue naming every invalid entry, or too many aliases.</exception>
    public static EmailAliasSet Normalize(JsonNode? raw, string? primaryAddress, EmailAliasOptions? options = null)
    {
        options ??= EmailAliasOptions.Default;
        var collector = new Collector(primaryAddress?.Trim());
        foreach (var text in EntryTexts(raw, collector))
        {
            collector.AddList(text);
        }

        if (collector.ShapeRefused)
        {
            throw ScimException.InvalidValue("emailAliases must be a string, an array of strings or an array of {\"value\": …} objects.");
        }

        collector.ThrowIfInvalid(options.MaxCount);
        if (collector.Addresses.Count > options.MaxCount)
        {
            throw ScimException.InvalidValue(string.Create(
                CultureInfo.InvariantCulture,
                $"emailAliases holds {collector.Addresses.Count} addresses; at most {options.MaxCount} are allowed."));
        }

        return new EmailAliasSet(collector.Addresses, collector.Dropped);
    }

    /// <summary>
    /// The addresses a stored value names when a write would accept it today, the limit on their
    /// number aside; null when it would not (an entry or a shape a rule made since refuses). Never
    /// throws: a read does not fail on what an earlier write stored, it shows the archive's
    /// aliases instead, and a PATCH made from that read does not trip over the old form.
    /// </summary>
    public static IReadOnlyList<string>? AcceptedAddresses(JsonElement stored, string? primaryAddress)
    {
        if (stored.ValueKind == JsonValueKind.String)
        {
            // Entra's form, read without making a node of it.
            var collector = new Collector(primaryAddress?.Trim());
            collector.AddList(stored.GetString()!);
            return collector.Accepted;
        }

        return AcceptedAddresses(stored.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? null : JsonNode.Parse(stored.GetRawText()), primaryAddress);
    }

    /// <inheritdoc cref="AcceptedAddresses(JsonElement, string?)"/>
    public static IReadOnlyList<string>? AcceptedAddresses(JsonNode? stored, string? primaryAddress)
    {
        var collector = new Collector(primaryAddress?.Trim());
        foreach (var text in EntryTexts(stored, collector))
        {
            collector.AddList(text);
        }

        return collector.Accepted;
    }

    private static IEnumerable<string> EntryTexts(JsonNode? raw, Collector collector)
    {
        switch (raw)
        {
            case null:
                yield break;
            case JsonArray array:
                foreach (var element in array)
                {
                    if (ElementText(element) is { } text)
                    {
                        yield return text;
                    }
                    else if (element is not null)
                    {
                        collector.Invalid.Add(element.ToJsonString());
                    }
                }

                yield break;
            case JsonObject:
                // A lone {"value": …} is taken as a one-element array.
                if (ElementText(raw) is { } value)
                {
                    yield return value;
                    yield break;
                }

                break;
            case JsonValue scalar when scalar.GetValueKind() == JsonValueKind.String:
                yield return scalar.GetValue<string>();
                yield break;
        }

        collector.ShapeRefused = true;
    }

    private static string? ElementText(JsonNode? element) => element switch
    {
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        JsonObject obj => obj.FirstOrDefault(p => string.Equals(p.Key, "value", StringComparison.OrdinalIgnoreCase)).Value is JsonValue inner
            && inner.GetValueKind() == JsonValueKind.String
                ? inner.GetValue<string>()
                : null,
        _ => null,
    };

    /// <summary>The proxy type of <c>type:address</c> (<c>SMTP</c>, <c>x500</c> …), or null when there is none.</summary>
    private static string? ProxyType(string entry)
    {
        var colon = entry.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return null;
        }

        for (var i = 0; i < colon; i++)
        {
            if (!char.IsAsciiLetterOrDigit(entry[i]))
            {
                return null;
            }
        }

        return entry[..colon];
    }

    private sealed class Collector(string? primaryAddress)
    {
        /// <summary>The value is of a shape a write refuses; <see cref="Normalize"/> refuses it, a stored value names no address.</summary>
        public bool ShapeRefused { get; set; }

        /// <summary>The addresses, when neither the shape nor any entry is one a write refuses.</summary>
        public IReadOnlyList<string>? Accepted => ShapeRefused || Invalid.Count > 0 ? null : Addresses;

        private readonly HashSet<string> _seen = new(StringComparer.OrdinalIgnoreCase);

        public List<string> Addresses { get; } = [];

        public List<string> Dropped { get; } = [];

        public List<string> Invalid { get; } = [];

        public void AddList(string text)
        {
            // Commas separate entries for certain (Entra joins proxyAddresses with them). Semicolons
            // and white space usually do too, but also occur inside X.400 and EUM addresses and
            // X.500 names, so a foreign proxy entry runs on until something that starts an entry.
            foreach (var piece in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var tokens = Tokens(piece);
                for (var i = 0; i < tokens.Count; i++)
                {
                    var token = piece[tokens[i]];
                    if (!IsForeignProxy(token))
                    {
                        AddEntry(token);
                        continue;
                    }

                    var start = tokens[i].Start;
                    while (i + 1 < tokens.Count && !StartsEntry(piece[tokens[i + 1]]))
                    {
                        i++;
                    }

                    Dropped.Add(piece[start..tokens[i].End]);
                }
            }
        }

        /// <summary>Names every invalid entry, up to as many as a valid value could hold.</summary>
        public void ThrowIfInvalid(int maxNamed)
        {
            if (Invalid.Count == 0)
            {
                return;
            }

            var named = string.Join(", ", Invalid.Take(maxNamed).Select(e => $"'{e}'"));
            var more = Invalid.Count > maxNamed
                ? string.Create(CultureInfo.InvariantCulture, $" and {Invalid.Count - maxNamed} more")
                : string.Empty;
            throw ScimException.InvalidValue(string.Create(
                CultureInfo.InvariantCulture,
                $"emailAliases contains {Invalid.Count} invalid address{(Invalid.Count == 1 ? string.Empty : "es")}: {named}{more}."));
        }

        private static List<Range> Tokens(string piece)
        {
            var tokens = new List<Range>();
            var start = -1;
            for (var i = 0; i <= piece.Length; i++)
            {
                var separator = i == piece.Length || piece[i] == ';' || char.IsWhiteSpace(piece[i]);
                if (separator && start >= 0)
                {
                    tokens.Add(start..i);
                    start = -1;
                }
                else if (!separator && start < 0)
                {
                    start = i;
                }
            }

            return tokens;
        }

        private static bool StartsEntry(string token) => token.Contains('@', StringComparison.Ordinal) || ProxyType(token) is not null;

        private static bool IsForeignProxy(string entry) =>
            ProxyType(entry) is { } type && !string.Equals(type, SmtpProxyType, StringComparison.OrdinalIgnoreCase);

        /// <summary>Adds an entry that is an SMTP address, with or without its <c>smtp:</c> prefix.</summary>
        private void AddEntry(string entry)
        {
            var address = ProxyType(entry) is null ? entry : entry[(SmtpProxyType.Length + 1)..];
            if (!EmailAddressRules.IsValid(address))
            {
                Invalid.Add(entry);
                return;
            }

            if (string.Equals(address, primaryAddress, StringComparison.OrdinalIgnoreCase) || !_seen.Add(address))
            {
                return;
            }

            Addresses.Add(address);
        }
    }
}
