using System.Globalization;
using System.Text;

namespace Veritas.Scim.Gateway.Tests.Hostile;

/// <summary>
/// A seeded generator of SCIM requests: operations and bodies drawn from SCIM's grammar (users,
/// PATCH operations, filters, query parameters), then mutated at the JSON, text, byte, header and
/// path level. The same seed gives the same requests (ids learned from earlier answers aside).
/// </summary>
public sealed class ScimFuzzer(int seed, HostileGateway gateway)
{
    private static readonly string[] Attributes =
    [
        "userName", "externalId", "displayName", "nickName", "title", "active", "name.givenName", "name.familyName", "emails", "emails.value",
        "emails[type eq \"work\"].value", "emails.type", "emails.primary", "phoneNumbers", "meta.lastModified", "meta.created", "id", "name",
        HostileGateway.VeritasSchema + ":emailAliases", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "nosuch",
    ];

    private static readonly string[] Operators = ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le", "pr"];

    private static readonly string[] Junk =
    [
        "\\ud800", "\\udc00", "'", "%", "_", "\"", "\\\\", "\u0000", "\u202e", "名", "😀", "\r\n", "{", "}", "[", "]", ",", ":", "null", "--", ";", "*",
    ];

    private readonly Random _random = new(seed);

    public List<string> KnownIds { get; } = [.. gateway.AlphaIds];

    public HostileCase Next()
    {
        var (method, path, body) = Operation();
        var request = gateway.AlphaRequest(method, path, body);
        var mutated = false;
        var bodyBytes = body is null ? null : Encoding.UTF8.GetBytes(body);
        var rounds = _random.Next(0, 4);
        for (var i = 0; i < rounds; i++)
        {
            mutated = true;
            switch (_random.Next(10))
            {
                case 0 or 1 or 2 when body is not null:
                    body = MutateText(body);
                    bodyBytes = Encoding.UTF8.GetBytes(body);
                    break;
                case 3 when bodyBytes is { Length: > 0 }:
                    bodyBytes = MutateBytes(bodyBytes);
                    break;
                case 4:
                    path = MutatePath(path);
                    break;
                case 5:
                    request = request with { Headers = [.. request.Headers, Header()] };
                    break;
                case 6:
                    method = Pick(["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND", "get"]);
                    break;
                default:
                    if (body is not null)
                    {
                        body = MutateJson(body);
                        bodyBytes = Encoding.UTF8.GetBytes(body);
                    }

                    break;
            }
        }

        var headers = request.Headers.ToList();
        if (bodyBytes is not null && !headers.Any(h => h.Name == "Content-Type"))
        {
            headers.Add(("Content-Type", HostileGateway.ScimMediaType));
        }

        var final = new RawRequest(method, $"/scim/{HostileGateway.Alpha}/v2/{path.TrimStart('/')}", headers, bodyBytes, Chunked: _random.Next(8) == 0);
        return new HostileCase(mutated ? "fuzz-mutated" : "fuzz-grammar", final, MayGoUnanswered: mutated, MayBeRefusedByKestrel: mutated, MayLeaveScim: mutated);
    }

    private (string Method, string Path, string? Body) Operation() => _random.Next(9) switch
    {
        0 => ("POST", "Users", User()),
        1 => ("PUT", $"Users/{Id()}", User()),
        2 or 3 => ("PATCH", $"Users/{Id()}", Patch()),
        4 => ("GET", $"Users?{Query()}", null),
        5 => ("POST", Pick([".search", "Users/.search"]), Search()),
        6 => ("GET", $"Users/{Id()}{(_random.Next(2) == 0 ? string.Empty : "?attributes=" + Uri.EscapeDataString(Pick(Attributes)))}", null),
        7 => ("DELETE", $"Users/{Id()}", null),
        _ => ("GET", Pick(["ServiceProviderConfig", "Schemas", "ResourceTypes", "ResourceTypes/User", "Schemas/" + HostileGateway.VeritasSchema, "Groups", "users", "USERS/" + Id()]), null),
    };

    /// <summary>Learns the id of a user a fuzz request created, so that later requests address it.</summary>
    public void Learn(RawResponse? response)
    {
        if (response is { Status: 201 } && System.Text.Json.Nodes.JsonNode.Parse(response.Body)?["id"] is { } id)
        {
            KnownIds.Add((string)id!);
        }
    }

    private string Id() => _random.Next(10) == 0 ? Pick(["nosuch", "..", "%2F", Guid.NewGuid().ToString(), string.Empty]) : Pick([.. KnownIds]);

    private string User()
    {
        var userName = $"fuzz{_random.Next(1_000_000)}@alpha.example.com";
        var members = new List<string> { $"\"userName\":{Value("string", userName)}" };
        if (_random.Next(2) == 0)
        {
            members.Add($"\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"{(_random.Next(3) == 0 ? ",\"" + HostileGateway.VeritasSchema + "\"" : string.Empty)}]");
        }

        foreach (var attribute in new[] { "externalId", "displayName", "nickName", "title" })
        {
            if (_random.Next(2) == 0)
            {
                members.Add($"\"{Case(attribute)}\":{Value("string", "v" + _random.Next(1000))}");
            }
        }

        if (_random.Next(2) == 0)
        {
            members.Add($"\"active\":{Value("bool", "true")}");
        }

        if (_random.Next(2) == 0)
        {
            members.Add($"\"name\":{{\"givenName\":{Value("string", "G")},\"familyName\":{Value("string", "F")}}}");
        }

        if (_random.Next(2) == 0)
        {
            members.Add($"\"emails\":[{{\"type\":\"work\",\"primary\":{Value("bool", "true")},\"value\":{Value("string", userName)}}}]");
        }

        if (_random.Next(2) == 0)
        {
            members.Add($"\"{HostileGateway.VeritasSchema}\":{{\"emailAliases\":{Aliases()}}}");
        }

        return "{" + string.Join(",", Shuffle(members)) + "}";
    }

    private string Aliases()
    {
        var entries = Enumerable.Range(0, _random.Next(0, 6)).Select(_ => Pick(["SMTP:", "smtp:", "x500:/o=A/cn=", "", "sip:"]) + $"a{_random.Next(100)}@alpha.example.com").ToList();
        return _random.Next(3) switch
        {
            0 => Value("string", string.Join(Pick([",", ";", " "]), entries)),
            1 => "[" + string.Join(",", entries.Select(e => $"\"{e}\"")) + "]",
            _ => "[" + string.Join(",", entries.Select(e => $"{{\"value\":\"{e}\"}}")) + "]",
        };
    }

    private string Patch()
    {
        var operations = Enumerable.Range(0, _random.Next(1, 6)).Select(_ =>
        {
            var op = Case(Pick(["add", "replace", "remove"]));
            var path = _random.Next(5) == 0 ? null : Pick(Attributes);
            var value = op.Equals("remove", StringComparison.OrdinalIgnoreCase) && _random.Next(3) != 0 ? null : AnyValue();
            return "{" + string.Join(",", new[] { $"\"op\":\"{op}\"", path is null ? null : $"\"path\":\"{path.Replace("\"", "\\\"", StringComparison.Ordinal)}\"", value is null ? null : $"\"value\":{value}" }.Where(m => m is not null)) + "}";
        });
        return $$"""{"schemas":["{{HostileGateway.PatchSchema}}"],"Operations":[{{string.Join(",", operations)}}]}""";
    }

    private string Search()
    {
        var members = new List<string> { "\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:SearchRequest\"]" };
        if (_random.Next(4) != 0)
        {
            members.Add($"\"filter\":\"{Filter(0).Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
        }

        if (_random.Next(2) == 0)
        {
            members.Add($"\"startIndex\":{Value("int", _random.Next(-2, 10).ToString(CultureInfo.InvariantCulture))}");
        }

        if (_random.Next(2) == 0)
        {
            members.Add($"\"count\":{Value("int", _random.Next(-2, 300).ToString(CultureInfo.InvariantCulture))}");
        }

        if (_random.Next(3) == 0)
        {
            members.Add($"\"sortBy\":\"{Pick(Attributes).Replace("\"", "\\\"", StringComparison.Ordinal)}\",\"sortOrder\":\"{Pick(["ascending", "descending", "up"])}\"");
        }

        if (_random.Next(3) == 0)
        {
            members.Add($"\"attributes\":[\"{Pick(Attributes).Replace("\"", "\\\"", StringComparison.Ordinal)}\"]");
        }

        return "{" + string.Join(",", members) + "}";
    }

    private string Query()
    {
        var parts = new List<string>();
        if (_random.Next(4) != 0)
        {
            parts.Add("filter=" + Uri.EscapeDataString(Filter(0)));
        }

        foreach (var (name, make) in new (string, Func<string>)[]
        {
            ("startIndex", () => _random.Next(-2, 20).ToString(CultureInfo.InvariantCulture)),
            ("count", () => _random.Next(-2, 500).ToString(CultureInfo.InvariantCulture)),
            ("sortBy", () => Pick(Attributes)),
            ("sortOrder", () => Pick(["ascending", "descending", "x"])),
            ("attributes", () => Pick(Attributes)),
            ("excludedAttributes", () => Pick(Attributes)),
        })
        {
            if (_random.Next(4) == 0)
            {
                parts.Add(name + "=" + Uri.EscapeDataString(make()));
            }
        }

        return string.Join("&", parts);
    }

    /// <summary>A filter from RFC 7644 §3.4.2.2's grammar: comparisons, presence, value paths, and/or/not, grouping.</summary>
    private string Filter(int depth)
    {
        var choice = depth > 3 ? 0 : _random.Next(6);
        return choice switch
        {
            0 or 1 => Comparison(),
            2 => $"{Filter(depth + 1)} {Pick(["and", "or", "AND", "Or"])} {Filter(depth + 1)}",
            3 => $"not ({Filter(depth + 1)})",
            4 => $"({Filter(depth + 1)})",
            _ => $"emails[{Comparison().Replace("emails.", string.Empty, StringComparison.Ordinal)}]",
        };
    }

    private string Comparison()
    {
        var attribute = Pick(Attributes);
        var op = Pick(Operators);
        if (op == "pr")
        {
            return $"{attribute} pr";
        }

        var value = _random.Next(6) switch
        {
            0 => "true",
            1 => "null",
            2 => _random.Next(-5, 5).ToString(CultureInfo.InvariantCulture),
            3 => "\"2024-01-01T00:00:00Z\"",
            4 => $"\"{Pick([.. gateway.AlphaIds])}\"",
            _ => $"\"{Pick(["alpha", "a@alpha.example.com", "Hostile", "work", "x", string.Empty, "%", "_"])}{(_random.Next(5) == 0 ? Pick(Junk) : string.Empty)}\"",
        };
        return $"{(_random.Next(5) == 0 ? attribute.ToUpperInvariant() : attribute)} {Case(op)} {value}";
    }

    private string? AnyValue() => _random.Next(8) switch
    {
        0 => Value("string", "x" + _random.Next(100)),
        1 => Value("bool", "false"),
        2 => "[{\"value\":\"p" + _random.Next(100) + "@alpha.example.com\",\"type\":\"work\"}]",
        3 => "{\"givenName\":\"G\",\"displayName\":\"D\"}",
        4 => Aliases(),
        5 => "{\"" + HostileGateway.VeritasSchema + ":emailAliases\":\"smtp:v@alpha.example.com\",\"name.familyName\":\"F\"}",
        6 => "null",
        _ => _random.Next(-10, 10).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>A JSON value of the intended type, or now and then one of the wrong type (Entra sends booleans as strings).</summary>
    private string Value(string type, string text) => _random.Next(6) switch
    {
        0 => Pick(["1", "true", "null", "[]", "{}", "\"\"", "\"False\"", "\"True\""]),
        _ => type switch
        {
            "bool" => text,
            "int" => text,
            _ => $"\"{text}\"",
        },
    };

    private string MutateText(string text)
    {
        var at = _random.Next(text.Length + 1);
        return _random.Next(4) switch
        {
            0 => text[..at],
            1 => text[..at] + Pick(Junk) + text[at..],
            2 => at < text.Length ? text[..at] + text[(at + 1)..] : text + "}",
            _ => text[..at] + text[at..].Replace("\"", "\"\"", StringComparison.Ordinal),
        };
    }

    private byte[] MutateBytes(byte[] bytes)
    {
        var copy = bytes.ToArray();
        for (var i = 0; i < 1 + _random.Next(3); i++)
        {
            copy[_random.Next(copy.Length)] = (byte)Pick([0x00, 0xC3, 0xC0, 0xFF, 0xED, 0x80, 0x22, 0x5C, (byte)_random.Next(256)]);
        }

        return copy;
    }

    /// <summary>JSON-level: duplicate a member (maybe in another case), wrap a value deeply, swap a value's type.</summary>
    private string MutateJson(string json)
    {
        var colon = json.IndexOf("\":", _random.Next(json.Length), StringComparison.Ordinal);
        if (colon < 0)
        {
            colon = json.IndexOf("\":", StringComparison.Ordinal);
        }

        if (colon < 0)
        {
            return json;
        }

        var nameStart = json.LastIndexOf('"', colon - 1);
        var name = json[(nameStart + 1)..colon];
        return _random.Next(3) switch
        {
            0 => json.Insert(nameStart, $"\"{(_random.Next(2) == 0 ? name.ToUpperInvariant() : name)}\":1,"),
            1 => json.Insert(colon + 2, new string('[', 40)) is var opened && opened.IndexOfAny([',', '}'], colon + 42) is var end and > 0 ? opened.Insert(end, new string(']', 40)) : json,
            _ => json.Insert(colon + 2, Pick(["{\"x\":", "[", "\"\\ud800\","]) is var prefix ? prefix + "0" + (prefix.StartsWith('{') ? "}," : prefix == "[" ? "]," : string.Empty) + "\"y\":" : string.Empty),
        };
    }

    private string MutatePath(string path) => _random.Next(5) switch
    {
        0 => path.ToUpperInvariant(),
        1 => path + Pick(["/", "//", "/..", "%00", "?filter=%ZZ", "?count=-1&count=2", "/extra"]),
        2 => "../" + path,
        3 => path.Replace("Users", Pick(["users", "Groups", "Users%2F", ".search", "Users/.search"]), StringComparison.Ordinal),
        _ => path + "?attributes=" + Uri.EscapeDataString(Pick(Junk)),
    };

    private (string, string) Header() => _random.Next(6) switch
    {
        0 => ("If-Match", Pick(["*", "W/\"1\"", "garbage", "W/\"" + _random.Next() + "\"", string.Empty])),
        1 => ("Content-Type", Pick(["text/plain", "application/json", "application/scim+json; charset=utf-8", "application/xml", string.Empty])),
        2 => ("Authorization", Pick(["Bearer wrong", "Basic x", "Bearer " + gateway.TokenBeta])),
        3 => ("Host", Pick(["evil.example.com", "localhost", "[::1]"])),
        4 => ("X-Forwarded-Host", "evil.example.com"),
        _ => ("Accept", Pick(["application/xml", "*/*", "application/scim+json"])),
    };

    private string Case(string text) => _random.Next(4) switch
    {
        0 => text.ToUpperInvariant(),
        1 => char.ToUpperInvariant(text[0]) + text[1..],
        _ => text,
    };

    private List<string> Shuffle(List<string> items) => [.. items.OrderBy(_ => _random.Next())];

    private T Pick<T>(T[] items) => items[_random.Next(items.Length)];
}
