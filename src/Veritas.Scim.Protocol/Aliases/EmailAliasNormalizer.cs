using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Veritas.Scim.Protocol.Errors;

namespace Veritas.Scim.Protocol.Aliases;

/// <summary>
/// Turns the <c>emailAliases</c> value a client sent (Entra usually sends
/// <c>Join(",", proxyAddresses)</c>) into the set of SMTP aliases the archive should route.
/// </summary>
public static class EmailAliasNormalizer
{
    private const string SmtpProxyType = "smtp";
    private const int MaxReportedInvalidEntries = 20;
    private static readonly char[] ListSeparators = [',', ';'];

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

        collector.ThrowIfInvalid();
        if (collector.Addresses.Count > options.MaxCount)
        {
            throw ScimException.InvalidValue(string.Create(
                CultureInfo.InvariantCulture,
                $"emailAliases holds {collector.Addresses.Count} addresses; at most {options.MaxCount} are allowed."));
        }

        return new EmailAliasSet(collector.Addresses, collector.Dropped, raw?.DeepClone());
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

        throw ScimException.InvalidValue("emailAliases must be a string, an array of strings or an array of {\"value\": …} objects.");
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
        private readonly HashSet<string> _seen = new(StringComparer.OrdinalIgnoreCase);

        public List<string> Addresses { get; } = [];

        public List<string> Dropped { get; } = [];

        public List<string> Invalid { get; } = [];

        public void AddList(string text)
        {
            foreach (var piece in text.Split(ListSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                // Non-SMTP proxy addresses (x500 distinguished names) may contain spaces: drop the
                // whole piece before splitting on white space.
                if (IsForeignProxy(piece))
                {
                    Dropped.Add(piece);
                    continue;
                }

                foreach (var word in piece.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
                {
                    AddEntry(word);
                }
            }
        }

        public void ThrowIfInvalid()
        {
            if (Invalid.Count == 0)
            {
                return;
            }

            var named = string.Join(", ", Invalid.Take(MaxReportedInvalidEntries).Select(e => $"'{e}'"));
            var more = Invalid.Count > MaxReportedInvalidEntries
                ? string.Create(CultureInfo.InvariantCulture, $" and {Invalid.Count - MaxReportedInvalidEntries} more")
                : string.Empty;
            throw ScimException.InvalidValue(string.Create(
                CultureInfo.InvariantCulture,
                $"emailAliases contains {Invalid.Count} invalid address{(Invalid.Count == 1 ? string.Empty : "es")}: {named}{more}."));
        }

        private static bool IsForeignProxy(string entry) =>
            ProxyType(entry) is { } type && !string.Equals(type, SmtpProxyType, StringComparison.OrdinalIgnoreCase);

        private void AddEntry(string entry)
        {
            if (IsForeignProxy(entry))
            {
                Dropped.Add(entry);
                return;
            }

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
