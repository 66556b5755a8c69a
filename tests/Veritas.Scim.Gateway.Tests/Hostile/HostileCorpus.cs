using System.Text;
using static Veritas.Scim.Gateway.Tests.Hostile.HostileGateway;
using static Veritas.Scim.Gateway.Tests.Infrastructure.GatewayHost;

namespace Veritas.Scim.Gateway.Tests.Hostile;

/// <summary>
/// The hostile-input corpus: every class of issue 8 and the classic attacks on a JSON-over-HTTP
/// API, each generated as a family of requests rather than one example.
/// </summary>
public static class HostileCorpus
{
    private const string CoreUser = "urn:ietf:params:scim:schemas:core:2.0:User";
    private const string Enterprise = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    public static string ValidUser(string userName) => $$$"""
        {"schemas":["{{{CoreUser}}}"],"userName":"{{{userName}}}","externalId":"ext-{{{userName}}}","active":true,"displayName":"Hostile User",
         "name":{"givenName":"Hostile","familyName":"User"},"emails":[{"type":"work","primary":true,"value":"{{{userName}}}"}],
         "{{{VeritasSchema}}}":{"emailAliases":"SMTP:{{{userName}}},smtp:alias-{{{userName}}}"}}
        """;

    public static string PatchOf(params string[] operations) => $$"""{"schemas":["{{PatchSchema}}"],"Operations":[{{string.Join(",", operations)}}]}""";

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}@alpha.example.com";

    public static IEnumerable<HostileCase> All(HostileGateway g)
    {
        ArgumentNullException.ThrowIfNull(g);
        var id = g.AlphaIds[0];
        return
        [
            .. DuplicateNames(g, id), .. MalformedJson(g, id), .. WrongTypes(g, id), .. DeepNesting(g, id), .. LongFilters(g),
            .. UnicodeEdges(g, id), .. SqlAndLikeMetacharacters(g), .. InvalidAddresses(g, id), .. ThousandsOfAliases(g, id),
            .. PagingAndSorting(g), .. Projections(g, id), .. ContentTypes(g, id), .. HeaderInjection(g, id), .. PathTricks(g, id),
            .. HugePatches(g, id), .. UnreadableBodies(g), .. SchemaUrnPatchPaths(g, id), .. Authentication(g, id), .. CrossTenant(g),
        ];
    }

    /// <summary>Issue 8 §1: the same member twice, at every depth, exactly or differing in case.</summary>
    private static IEnumerable<HostileCase> DuplicateNames(HostileGateway g, string id)
    {
        string[] bodies =
        [
            $$"""{"schemas":["{{CoreUser}}"],"userName":"{{Unique("dup")}}","userName":"{{Unique("dup")}}"}""",
            $$"""{"schemas":["{{CoreUser}}"],"userName":"{{Unique("dup")}}","USERNAME":"{{Unique("dup")}}"}""",
            $$$"""{"schemas":["{{{CoreUser}}}"],"userName":"{{{Unique("dup")}}}","name":{"givenName":"a","givenName":"b"}}""",
            $$$"""{"schemas":["{{{CoreUser}}}"],"userName":"{{{Unique("dup")}}}","name":{"givenName":"a","GIVENNAME":"b"}}""",
            $$"""{"schemas":["{{CoreUser}}"],"userName":"{{Unique("dup")}}","emails":[{"value":"a@b.example.com","value":"c@d.example.com"}]}""",
            $$$"""{"schemas":["{{{CoreUser}}}"],"userName":"{{{Unique("dup")}}}","{{{VeritasSchema}}}":{"emailAliases":"a@alpha.example.com","emailAliases":"b@alpha.example.com"}}""",
            $$$"""{"schemas":["{{{CoreUser}}}"],"userName":"{{{Unique("dup")}}}","{{{Enterprise}}}":{"department":"x","Department":"y"}}""",
            $$$"""{"schemas":["{{{CoreUser}}}"],"userName":"{{{Unique("dup")}}}","custom":{"k":1,"k":2}}""",
            $$$$"""{"schemas":["{{{{CoreUser}}}}"],"userName":"{{{{Unique("dup")}}}}","custom":[{"deep":{"x":{"y":1,"y":2}}}]}""",
        ];
        foreach (var body in bodies)
        {
            yield return new("duplicate-names", g.AlphaRequest("POST", "Users", body));
            yield return new("duplicate-names", g.AlphaRequest("PUT", $"Users/{id}", body));
        }

        string[] patches =
        [
            PatchOf("""{"op":"replace","op":"add","path":"displayName","value":"x"}"""),
            PatchOf("""{"op":"replace","path":"displayName","PATH":"title","value":"x"}"""),
            PatchOf("""{"op":"replace","value":{"displayName":"a","displayName":"b"}}"""),
            PatchOf("""{"op":"replace","path":"name","value":{"givenName":"a","GivenName":"b"}}"""),
            PatchOf("""{"op":"add","path":"emails","value":[{"value":"a@alpha.example.com","type":"work","type":"home"}]}"""),
            $$"""{"schemas":["{{PatchSchema}}"],"Operations":[],"Operations":[{"op":"replace","path":"displayName","value":"x"}]}""",
        ];
        foreach (var patch in patches)
        {
            yield return new("duplicate-names", g.AlphaRequest("PATCH", $"Users/{id}", patch));
        }

        yield return new("duplicate-names", g.AlphaRequest("POST", ".search", """{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"filter":"userName pr","filter":"id pr"}"""));
    }

    /// <summary>Truncated at every few bytes, and the usual non-JSON: comments, single quotes, trailing commas, bare values.</summary>
    private static IEnumerable<HostileCase> MalformedJson(HostileGateway g, string id)
    {
        var valid = ValidUser(Unique("trunc"));
        for (var cut = 0; cut < valid.Length; cut += 7)
        {
            yield return new("malformed-json", g.AlphaRequest("POST", "Users", valid[..cut]));
        }

        var patch = PatchOf("""{"op":"replace","path":"displayName","value":"cut"}""");
        for (var cut = 0; cut < patch.Length; cut += 5)
        {
            yield return new("malformed-json", g.AlphaRequest("PATCH", $"Users/{id}", patch[..cut]));
        }

        string[] junk =
        [
            "", " ", "null", "[]", "\"user\"", "42", "true", "{", "}", "{}}", "{\"userName\":}", "{'userName':'x'}", "{\"userName\":\"x\",}",
            "{\"userName\":\"x\" /* c */}", "// c\n{\"userName\":\"x\"}", "{\"userName\":NaN}", "{\"userName\":Infinity}", "{\"userName\":\"x\"}{\"userName\":\"y\"}",
            "{\"userName\":\"x\"} trailing", "{\"userName\":\"\\x41\"}", "{\"userName\":\"\\u12\"}", "{\"userName\":01}", "{\"userName\":1e999999}", "\u00EF\u00BB\u00BF{}",
            "{\"userName\":\"tab\there\"}", "{\"a\":" + new string('1', 5000) + "}",
        ];
        foreach (var body in junk)
        {
            yield return new("malformed-json", g.AlphaRequest("POST", "Users", body));
            yield return new("malformed-json", g.AlphaRequest("PATCH", $"Users/{id}", body));
            yield return new("malformed-json", g.AlphaRequest("POST", ".search", body));
        }
    }

    /// <summary>Every attribute a User has, given every JSON type it is not.</summary>
    private static IEnumerable<HostileCase> WrongTypes(HostileGateway g, string id)
    {
        string[] values = ["1", "-1.5", "true", "false", "null", "\"text\"", "[]", "[1,2]", "[\"a\"]", "{}", "{\"value\":1}", "[{}]", "[null]", "[[]]"];
        string[] attributes =
        [
            "userName", "externalId", "displayName", "nickName", "title", "active", "name", "name.givenName", "name.familyName",
            "emails", "emails[0]", "emails[0].value", "emails[0].primary", "emails[0].type", "phoneNumbers", "addresses", "password", "schemas",
            "meta", "id", VeritasSchema, VeritasSchema + ":emailAliases", Enterprise, Enterprise + ":manager", Enterprise + ":department",
        ];
        foreach (var attribute in attributes)
        {
            foreach (var value in values)
            {
                yield return new("wrong-types", g.AlphaRequest("POST", "Users", UserWith(Unique("types"), attribute, value)));
                yield return new("wrong-types", g.AlphaRequest("PATCH", $"Users/{id}", PatchOf($$"""{"op":"replace","path":"{{attribute.Replace("[0]", string.Empty, StringComparison.Ordinal)}}","value":{{value}}}""")));
            }
        }

        foreach (var value in values)
        {
            yield return new("wrong-types", g.AlphaRequest("PATCH", $"Users/{id}", $$"""{"schemas":["{{PatchSchema}}"],"Operations":{{value}}}""" ));
            yield return new("wrong-types", g.AlphaRequest("PATCH", $"Users/{id}", PatchOf($$"""{"op":{{value}},"path":"displayName","value":"x"}""")));
            yield return new("wrong-types", g.AlphaRequest("PATCH", $"Users/{id}", PatchOf($$"""{"op":"replace","path":{{value}},"value":"x"}""")));
            yield return new("wrong-types", g.AlphaRequest("POST", ".search", $$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"filter":{{value}},"startIndex":{{value}},"count":{{value}},"attributes":{{value}},"sortBy":{{value}}}"""));
        }
    }

    private static string UserWith(string userName, string attribute, string value)
    {
        var parts = attribute.Split('.');
        var head = parts[0];
        var inner = parts.Length > 1 ? $"{{\"{parts[1]}\":{value}}}" : value;
        if (head.EndsWith("[0]", StringComparison.Ordinal))
        {
            head = head[..^3];
            inner = $"[{(parts.Length > 1 ? inner : value)}]";
        }

        if (attribute.StartsWith("urn:", StringComparison.Ordinal) && attribute.LastIndexOf(':') > attribute.IndexOf("2.0:", StringComparison.Ordinal) + 3)
        {
            var split = attribute.LastIndexOf(':');
            head = attribute[..split];
            inner = $"{{\"{attribute[(split + 1)..]}\":{value}}}";
        }

        var userNameMember = head == "userName" ? string.Empty : $"\"userName\":\"{userName}\",";
        return $$"""{"schemas":["{{CoreUser}}"],{{userNameMember}}"{{head}}":{{inner}}}""";
    }

    private static IEnumerable<HostileCase> DeepNesting(HostileGateway g, string id)
    {
        foreach (var depth in new[] { 8, 31, 32, 33, 64, 200, 1000, 5000 })
        {
            var array = new string('[', depth) + new string(']', depth);
            var objects = string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
            yield return new("deep-nesting", g.AlphaRequest("POST", "Users", $$"""{"userName":"{{Unique("deep")}}","custom":{{array}}}"""));
            yield return new("deep-nesting", g.AlphaRequest("POST", "Users", $$"""{"userName":"{{Unique("deep")}}","custom":{{objects}}}"""));
            yield return new("deep-nesting", g.AlphaRequest("PATCH", $"Users/{id}", PatchOf($$"""{"op":"add","path":"custom","value":{{objects}}}""")));
            var parens = new string('(', depth) + "userName pr" + new string(')', depth);
            yield return new("deep-nesting", g.AlphaRequest("GET", "Users?filter=" + Uri.EscapeDataString(parens)));
            var nots = string.Concat(Enumerable.Repeat("not (", depth)) + "userName pr" + new string(')', depth);
            yield return new("deep-nesting", g.AlphaRequest("GET", "Users?filter=" + Uri.EscapeDataString(nots)));
        }
    }

    private static IEnumerable<HostileCase> LongFilters(HostileGateway g)
    {
        foreach (var length in new[] { 1000, 4095, 4096, 4097, 20_000 })
        {
            yield return new("long-filters", g.AlphaRequest("GET", "Users?filter=" + Uri.EscapeDataString($"userName eq \"{new string('x', length)}\"")));
            yield return new("long-filters", g.AlphaRequest("POST", ".search", $$"""{"filter":"userName eq \"{{new string('y', length)}}\""}"""));
        }

        foreach (var clauses in new[] { 10, 100, 300, 1000 })
        {
            var or = string.Join(" or ", Enumerable.Range(0, clauses).Select(i => $"userName eq \"u{i}\""));
            var and = string.Join(" and ", Enumerable.Range(0, clauses).Select(i => $"displayName co \"{i}\""));
            yield return new("long-filters", g.AlphaRequest("POST", ".search", $$"""{"filter":"{{or.Replace("\"", "\\\"", StringComparison.Ordinal)}}"}"""));
            yield return new("long-filters", g.AlphaRequest("GET", "Users?filter=" + Uri.EscapeDataString(and)));
            yield return new("long-filters", g.AlphaRequest("GET", "Users?filter=" + Uri.EscapeDataString(string.Join(" or ", Enumerable.Range(0, clauses).Select(i => $"emails[value co \"{i}\" and type eq \"work\"]")))));
        }
    }

    /// <summary>Lone and reversed surrogates (escaped), invalid UTF-8 bytes, controls, BOMs, directional and combining marks.</summary>
    private static IEnumerable<HostileCase> UnicodeEdges(HostileGateway g, string id)
    {
        string[] escaped = ["\\ud800", "\\udc00", "\\ud800x", "\\udc00\\ud800", "\\ud800\\ud800", "\\uDBFF\\uDFFF", "\\u0000", "\\u001f", "\\ufeff", "\\u202e", "\\uffff", "\\ufffe"];
        foreach (var e in escaped)
        {
            yield return new("unicode", g.AlphaRequest("POST", "Users", $$"""{"userName":"{{Unique("u")}}","displayName":"a{{e}}b"}"""));
            yield return new("unicode", g.AlphaRequest("POST", "Users", $$"""{"userName":"u{{e}}@alpha.example.com"}"""));
            yield return new("unicode", g.AlphaRequest("PATCH", $"Users/{id}", PatchOf($$"""{"op":"replace","path":"displayName","value":"{{e}}"}""")));
            yield return new("unicode", g.AlphaRequest("PATCH", $"Users/{id}", PatchOf($$"""{"op":"replace","path":"display{{e}}Name","value":"x"}""")));
            yield return new("unicode", g.AlphaRequest("POST", ".search", $$"""{"filter":"userName eq \"{{e}}\""}"""));
            yield return new("unicode", g.AlphaRequest("POST", "Users", $$"""{"userName":"{{Unique("u")}}","k{{e}}":1}"""));
        }

        byte[][] invalid = [[0xC3, 0x28], [0xC0, 0xAF], [0xE0, 0x80, 0xAF], [0xED, 0xA0, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xFF], [0xC3], [0xF0, 0x9F, 0x98]];
        foreach (var bytes in invalid)
        {
            foreach (var template in new[] { "{\"userName\":\"" + Unique("b") + "\",\"displayName\":\"#\"}", "{\"userName\":\"#@alpha.example.com\"}", "{\"userName\":\"" + Unique("b") + "\",\"#\":1}" })
            {
                yield return new("unicode", g.AlphaBytes("POST", "Users", Splice(template, bytes)));
            }

            yield return new("unicode", g.AlphaBytes("PATCH", $"Users/{id}", Splice(PatchOf("""{"op":"replace","path":"displayName","value":"#"}"""), bytes)));
            yield return new("unicode", g.AlphaBytes("POST", ".search", Splice("{\"filter\":\"userName eq \\\"#\\\"\"}", bytes)));
        }

        string[] literal = ["Ünïcödé", "名前", "👩‍💻", "e\u0301\u0301\u0301", "\u202Eevil", "a\u200Bb", "ß", "İ", new string('\u0301', 300)];
        foreach (var text in literal)
        {
            yield return new("unicode", g.AlphaRequest("POST", "Users", $$"""{"userName":"{{Unique("lit")}}","displayName":"{{text}}"}"""));
            yield return new("unicode", g.AlphaRequest("GET", "Users?filter=" + Uri.EscapeDataString($"displayName eq \"{text}\"")));
            yield return new("unicode", g.AlphaRequest("GET", "Users/" + Uri.EscapeDataString(text)));
        }
    }

    private static byte[] Splice(string template, byte[] bytes)
    {
        var at = template.IndexOf('#', StringComparison.Ordinal);
        return [.. Encoding.UTF8.GetBytes(template[..at]), .. bytes, .. Encoding.UTF8.GetBytes(template[(at + 1)..])];
    }

    private static IEnumerable<HostileCase> SqlAndLikeMetacharacters(HostileGateway g)
    {
        string[] values = ["'", "''", "' OR '1'='1", "\\\" or 1=1 --", "%", "_", "%_%", "[", "[a-z]", "]", "^", "\\\\", "--", ";", "; DROP TABLE ArchiveAccount; --", "/*", "*/", "\\u0000", "` ", "$(id)", "{{x}}", "%' --", "ESCAPE '\\\\'"];
        string[] operators = ["eq", "ne", "co", "sw", "ew", "gt", "lt"];
        string[] attributes = ["userName", "displayName", "externalId", "name.familyName", "emails.value", "emails[type eq \\\"work\\\"].value", VeritasSchema + ":emailAliases", "id"];
        foreach (var value in values)
        {
            foreach (var op in operators)
            {
                foreach (var attribute in attributes)
                {
                    yield return new("sql-like-metacharacters", g.AlphaRequest("POST", ".search", $$"""{"filter":"{{attribute}} {{op}} \"{{value}}\""}"""));
                }
            }

            yield return new("sql-like-metacharacters", g.AlphaRequest("POST", "Users", $$"""{"userName":"{{value}}{{Guid.NewGuid():N}}","displayName":"{{value}}"}"""));
            yield return new("sql-like-metacharacters", g.AlphaRequest("GET", "Users?sortBy=" + Uri.EscapeDataString(value.Replace("\\", string.Empty, StringComparison.Ordinal))));
        }
    }

    private static IEnumerable<HostileCase> InvalidAddresses(HostileGateway g, string id)
    {
        string[] addresses =
        [
            "plain", "a@", "@b.example.com", "a@@b.example.com", "a b@c.example.com", "a@b", ".a@b.example.com", "a.@b.example.com", "a..b@c.example.com",
            "a@-b.example.com", "a@b-.example.com", "a@b..example.com", new string('l', 65) + "@b.example.com", "a@" + new string('d', 64) + ".example.com",
            new string('x', 250) + "@b.example.com", "\\\"quoted\\\"@b.example.com", "a@[127.0.0.1]", "a@b.example.com,", "smtp:", "SMTP:", "x500:", "smtp:a@", "sip:a@b.example.com",
            "a@b.example.com\\r\\nBcc: c@d.example.com", "a%b@c.example.com", "a@ünï.example.com",
        ];
        foreach (var address in addresses)
        {
            yield return new("invalid-addresses", g.AlphaRequest("POST", "Users", $$"""{"userName":"{{Unique("addr")}}","emails":[{"type":"work","value":"{{address}}"}]}"""));
            yield return new("invalid-addresses", g.AlphaRequest("POST", "Users", $$$"""{"userName":"{{{Unique("addr")}}}","{{{VeritasSchema}}}":{"emailAliases":"{{{address}}}"}}"""));
            yield return new("invalid-addresses", g.AlphaRequest("PATCH", $"Users/{id}", PatchOf($$"""{"op":"add","path":"{{VeritasSchema}}:emailAliases","value":[{"value":"{{address}}"}]}""")));
            yield return new("invalid-addresses", g.AlphaRequest("PATCH", $"Users/{id}", PatchOf($$"""{"op":"replace","path":"emails[type eq \"work\"].value","value":"{{address}}"}""")));
        }
    }

    private static IEnumerable<HostileCase> ThousandsOfAliases(HostileGateway g, string id)
    {
        foreach (var count in new[] { 499, 500, 501, 2000, 10_000 })
        {
            var list = Enumerable.Range(0, count).Select(i => $"smtp:bulk{i}@alpha.example.com").ToList();
            yield return new("thousands-of-aliases", g.AlphaRequest("POST", "Users", $$$"""{"userName":"{{{Unique("bulk")}}}","{{{VeritasSchema}}}":{"emailAliases":"{{{string.Join(",", list)}}}"}}"""));
            yield return new("thousands-of-aliases", g.AlphaRequest("PATCH", $"Users/{id}", PatchOf($$"""{"op":"replace","path":"{{VeritasSchema}}:emailAliases","value":[{{string.Join(",", list.Select(a => $"{{\"value\":\"{a}\"}}"))}}]}""")));
            yield return new("thousands-of-aliases", g.AlphaRequest("PATCH", $"Users/{id}", PatchOf($$"""{"op":"replace","path":"{{VeritasSchema}}:emailAliases","value":"{{string.Join(",", Enumerable.Repeat("smtp:same@alpha.example.com", count))}}"}""")));
        }
    }

    private static IEnumerable<HostileCase> PagingAndSorting(HostileGateway g)
    {
        string[] numbers = ["-1", "0", "1", "2147483647", "2147483648", "-2147483649", "99999999999999999999", "1.5", "1e3", "abc", "", "%00", "0x10", " 1", "１"];
        foreach (var n in numbers)
        {
            yield return new("paging-sorting", g.AlphaRequest("GET", $"Users?startIndex={Uri.EscapeDataString(n)}"));
            yield return new("paging-sorting", g.AlphaRequest("GET", $"Users?count={Uri.EscapeDataString(n)}"));
            yield return new("paging-sorting", g.AlphaRequest("GET", $"Users?filter=userName%20pr&startIndex={Uri.EscapeDataString(n)}&count={Uri.EscapeDataString(n)}"));
            yield return new("paging-sorting", g.AlphaRequest("POST", ".search", $$"""{"startIndex":"{{n}}","count":"{{n}}"}"""));
        }

        string[] sorts = ["userName", "USERNAME", "nosuch", "name", "emails", "emails.value", "meta.lastModified", "urn:x:y", "", "userName,displayName", "id desc", "../etc"];
        string[] orders = ["ascending", "descending", "DESCENDING", "sideways", "", "1"];
        foreach (var sort in sorts)
        {
            foreach (var order in orders)
            {
                yield return new("paging-sorting", g.AlphaRequest("GET", $"Users?sortBy={Uri.EscapeDataString(sort)}&sortOrder={Uri.EscapeDataString(order)}"));
            }
        }

        yield return new("paging-sorting", g.AlphaRequest("GET", "Users?startIndex=1&startIndex=2&count=1&count=-1"));
    }

    private static IEnumerable<HostileCase> Projections(HostileGateway g, string id)
    {
        string[] lists = ["", ",", ",,,", "nosuch", "name.givenName.x", "emails[type eq \"work\"]", "urn:", "urn:ietf:params:scim:schemas:core:2.0:User:", VeritasSchema, VeritasSchema + ":nosuch", "meta.", ".", "..", "*", "%", "id,id,id", string.Join(",", Enumerable.Range(0, 2000).Select(i => "a" + i)), "userName)", "\u0000"];
        foreach (var list in lists)
        {
            var escaped = Uri.EscapeDataString(list);
            yield return new("projections", g.AlphaRequest("GET", $"Users?attributes={escaped}"));
            yield return new("projections", g.AlphaRequest("GET", $"Users?excludedAttributes={escaped}"));
            yield return new("projections", g.AlphaRequest("GET", $"Users/{id}?attributes={escaped}&excludedAttributes={escaped}"));
            yield return new("projections", g.AlphaRequest("POST", ".search", $$"""{"attributes":["{{list.Replace("\"", "\\\"", StringComparison.Ordinal)}}"],"excludedAttributes":["{{list.Replace("\"", "\\\"", StringComparison.Ordinal)}}"]}"""));
        }
    }

    private static IEnumerable<HostileCase> ContentTypes(HostileGateway g, string id)
    {
        string[] types =
        [
            "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/scim+json; charset=latin1",
            "application/json; charset=utf-16", "application/jsonp", "application/scim+jsonx", "*/*", "application/*", ";", "application/json;;;", "\u00e9/\u00e9",
            "application/json, text/plain", new string('a', 5000),
        ];
        foreach (var type in types)
        {
            yield return new("content-types", g.AlphaRequest("POST", "Users", ValidUser(Unique("ct")), contentType: type), MayBeRefusedByKestrel: true);
            yield return new("content-types", g.AlphaRequest("PATCH", $"Users/{id}", PatchOf("""{"op":"replace","path":"displayName","value":"ct"}"""), contentType: type), MayBeRefusedByKestrel: true);
        }

        yield return new("content-types", g.AlphaBytes("POST", "Users", Encoding.Unicode.GetBytes(ValidUser(Unique("utf16"))), contentType: "application/json; charset=utf-16"));
        yield return new("content-types", g.AlphaBytes("POST", "Users", [0x1F, 0x8B, 0x08, 0x00], extraHeaders: [("Content-Encoding", "gzip")]));
    }

    /// <summary>CR/LF and other bytes where a header value ends, duplicated and oversized headers.</summary>
    private static IEnumerable<HostileCase> HeaderInjection(HostileGateway g, string id)
    {
        (string, string)[][] headerSets =
        [
            [("If-Match", "W/\"1\"\r\nX-Injected: 1")],
            [("If-Match", "W/\"1\"\nX-Injected: 1")],
            [("If-Match", "\u0000")],
            [("If-Match", "*")],
            [("If-Match", "garbage")],
            [("If-Match", "W/\"" + new string('9', 100) + "\"")],
            [("If-Match", "W/\"1\", W/\"2\", \"3\"")],
            [("If-None-Match", "*")],
            [("X-Forwarded-Host", "evil.example.com"), ("X-Forwarded-Proto", "javascript")],
            [("Host", "evil.example.com\r\nX-Injected: 1")],
            [("Host", "")],
            [("X-Long", new string('h', 40_000))],
            [("Content-Length", "-1")],
            [("Content-Length", "10"), ("Content-Length", "20")],
            [("Transfer-Encoding", "gzip, chunked")],
            [("Expect", "100-continue")],
            [("X-Folded", "a\r\n folded")],
        ];
        foreach (var headers in headerSets)
        {
            yield return new("header-injection", g.AlphaRequest("PATCH", $"Users/{id}", PatchOf("""{"op":"replace","path":"displayName","value":"hdr"}"""), extraHeaders: headers), MayGoUnanswered: true, MayBeRefusedByKestrel: true);
            yield return new("header-injection", g.AlphaRequest("GET", $"Users/{id}", extraHeaders: headers), MayGoUnanswered: true, MayBeRefusedByKestrel: true);
        }

        yield return new("header-injection", g.AlphaRequest("DELETE", $"Users/{id}", extraHeaders: [("Authorization", "Bearer " + g.TokenBeta)]), MayBeRefusedByKestrel: true);
        yield return new("header-injection", g.AlphaRequest("DELETE", $"Users/{id}", extraHeaders: [("Authorization", "Bearer not-a-token")]), MayBeRefusedByKestrel: true);
        yield return new("header-injection", g.AlphaRequest("GET", "Users", token: g.TokenAlpha + "\r\nX-Injected: 1"), MayBeRefusedByKestrel: true);
        yield return new("header-injection", g.AlphaRequest("GET", "Users", token: g.TokenAlpha + "\u0000"), MayBeRefusedByKestrel: true);
    }

    /// <summary>Traversal, encoded separators, NULs and other ids that must not escape the tenant or the store's parameters.</summary>
    private static IEnumerable<HostileCase> PathTricks(HostileGateway g, string id)
    {
        string[] ids =
        [
            "..", "%2e%2e", "%2E%2E%2F%2E%2E%2Fbeta", "..%2F..%2Fbeta%2Fv2%2FUsers", "%2F", "%252F", "%00", id + "%00", id + "%20", " " + id, id.ToUpperInvariant(),
            id + "/", id + "//", id + "/x", id + ";x=1", "%u002e", "*", "%", "'", "' OR 1=1 --", "%27%20OR%20%271%27%3D%271", new string('i', 5000), "%C0%AE%C0%AE", "%ED%A0%80", "%FF",
            "{id}", ".search", "Users", "..;", "~", "\\..\\", "%5C..%5C",
        ];
        foreach (var trick in ids)
        {
            foreach (var method in new[] { "GET", "DELETE", "PATCH", "PUT" })
            {
                var body = method switch
                {
                    "PATCH" => PatchOf("""{"op":"replace","path":"displayName","value":"path"}"""),
                    "PUT" => ValidUser(Unique("path")),
                    _ => null,
                };
                var request = g.AlphaRequest(method, "Users/" + trick, body);
                yield return new("path-tricks", request, MayBeRefusedByKestrel: true, MayLeaveScim: true);
            }
        }

        string[] targets =
        [
            $"/scim/{Alpha}/v2/Users/../../{Beta}/v2/Users", $"/scim/{Alpha}/v2/%2e%2e/%2e%2e/{Beta}/v2/Users", $"/scim/{Alpha}/v2//Users", $"/scim/{Alpha}//v2/Users",
            $"/scim/{Alpha.ToUpperInvariant()}/v2/Users", $"/scim/{Alpha}%2F..%2F{Beta}/v2/Users", $"/SCIM/{Alpha}/V2/USERS", $"/scim/{Alpha}/v2/Users?filter=userName%20pr#frag",
            $"http://evil.example.com/scim/{Alpha}/v2/Users", "*", $"/scim/{Alpha}/v2/Users/" + g.BetaIds[0],
        ];
        foreach (var target in targets)
        {
            yield return new("path-tricks", new RawRequest("GET", target, [("Authorization", "Bearer " + g.TokenAlpha)], null), MayBeRefusedByKestrel: true, MayLeaveScim: true);
        }
    }

    /// <summary>Issue 8's 10,000-operation PATCH, and PATCHes that stress the interpreter otherwise.</summary>
    private static IEnumerable<HostileCase> HugePatches(HostileGateway g, string id)
    {
        var replaces = Enumerable.Range(0, 10_000).Select(i => $$"""{"op":"replace","path":"displayName","value":"v{{i}}"}""").ToArray();
        yield return new("huge-patches", g.AlphaRequest("PATCH", $"Users/{g.AlphaIds[4]}", PatchOf(replaces)));
        var adds = Enumerable.Range(0, 10_000).Select(i => $$"""{"op":"add","path":"emails","value":[{"type":"other","value":"e{{i}}@alpha.example.com"}]}""").ToArray();
        yield return new("huge-patches", g.AlphaRequest("PATCH", $"Users/{id}", PatchOf(adds)));
        var removes = Enumerable.Range(0, 10_000).Select(i => $$"""{"op":"remove","path":"emails[value eq \"e{{i}}@alpha.example.com\"]"}""").ToArray();
        yield return new("huge-patches", g.AlphaRequest("PATCH", $"Users/{id}", PatchOf(removes)));
        var mixed = Enumerable.Range(0, 10_000).Select(i => (i % 3) switch
        {
            0 => $$"""{"op":"add","path":"custom{{i}}","value":{{i}}}""",
            1 => $$"""{"op":"replace","path":"name.givenName","value":"g{{i}}"}""",
            _ => """{"op":"remove","path":"title"}""",
        }).ToArray();
        yield return new("huge-patches", g.AlphaRequest("PATCH", $"Users/{id}", PatchOf(mixed)));
        yield return new("huge-patches", g.AlphaRequest("PATCH", $"Users/{id}", PatchOf([.. replaces.Take(9_999), """{"op":"explode"}"""])));

        // Many values in one multi-valued attribute: adding each compares it with every value
        // there, and a value filter runs over each, so an unbounded list costs the square.
        string Phones(int from, int count) => "[" + string.Join(',', Enumerable.Range(from, count).Select(i => $$"""{"type":"t{{i}}","value":"+1555{{i:D6}}"}""")) + "]";
        yield return new("huge-patches", g.AlphaRequest("PATCH", $"Users/{id}", PatchOf($$"""{"op":"add","path":"phoneNumbers","value":{{Phones(0, 5_000)}}}""")));
        yield return new("huge-patches", g.AlphaRequest("PATCH", $"Users/{id}", PatchOf([.. Enumerable.Range(0, 100).Select(i => $$"""{"op":"add","path":"phoneNumbers","value":{{Phones(i * 2, 2)}}}""")])));
        yield return new("huge-patches", g.AlphaRequest("PATCH", $"Users/{id}", PatchOf($$"""{"op":"add","path":"customList","value":{{Phones(0, 5_000)}}}""")));
        yield return new("huge-patches", g.AlphaRequest("POST", "Users", $$"""{"schemas":["{{CoreUser}}"],"userName":"{{Unique("phones")}}","phoneNumbers":{{Phones(0, 101)}}}"""));
    }

    /// <summary>Issue 8 §1: bodies Kestrel cannot read (malformed chunked framing, a body cut short).</summary>
    private static IEnumerable<HostileCase> UnreadableBodies(HostileGateway g)
    {
        string[] framings =
        [
            "ZZ\r\n{}\r\n0\r\n\r\n", "-1\r\n{}\r\n0\r\n\r\n", "2\r\n{}XX\r\n0\r\n\r\n", "FFFFFFFFFFFFFFFF\r\n{}\r\n0\r\n\r\n", "2\r\n{}", "2;ext=\"\r\n{}\r\n0\r\n\r\n",
            "\r\n\r\n", "1\r\n{\r\n", "0\r\nTrailer: " + new string('t', 20_000) + "\r\n\r\n",
        ];
        foreach (var framing in framings)
        {
            foreach (var target in new[] { "Users", ".search", $"Users/{g.AlphaIds[1]}" })
            {
                var method = target.StartsWith("Users/", StringComparison.Ordinal) ? "PATCH" : "POST";
                var request = new RawRequest(method, $"/scim/{Alpha}/v2/{target}", [("Authorization", "Bearer " + g.TokenAlpha), ("Content-Type", ScimMediaType), ("Transfer-Encoding", "chunked")], null, RawFraming: Encoding.ASCII.GetBytes(framing), HalfClose: true);
                yield return new("unreadable-bodies", request, MayGoUnanswered: true, MayBeRefusedByKestrel: true);
            }
        }

        var shortBody = new RawRequest("POST", $"/scim/{Alpha}/v2/Users", [("Authorization", "Bearer " + g.TokenAlpha), ("Content-Type", ScimMediaType), ("Content-Length", "5000")], Encoding.UTF8.GetBytes("{\"userName\":"), HalfClose: true);
        yield return new("unreadable-bodies", shortBody, MayGoUnanswered: true, MayBeRefusedByKestrel: true);
    }

    /// <summary>Issue 8 §2: schema URNs (and near misses) as PATCH paths.</summary>
    private static IEnumerable<HostileCase> SchemaUrnPatchPaths(HostileGateway g, string id)
    {
        string[] paths = [Enterprise, VeritasSchema, CoreUser, Enterprise + ":", Enterprise + ":department", "urn:ietf:params:scim:schemas:extension:nosuch:2.0:User", "urn:", "urn:ietf:params:scim:api:messages:2.0:PatchOp", CoreUser + ":name.givenName", Enterprise + ":manager.value"];
        foreach (var path in paths)
        {
            foreach (var op in new[] { "add", "replace", "remove" })
            {
                var value = op == "remove" ? string.Empty : ""","value":{"department":"X","emailAliases":"smtp:urn@alpha.example.com","displayName":"urn"}""";
                yield return new("schema-urn-patch-paths", g.AlphaRequest("PATCH", $"Users/{id}", PatchOf($$"""{"op":"{{op}}","path":"{{path}}"{{value}}}""")));
            }
        }

        foreach (var attribute in new[] { "active", "id", "meta", "schemas", "userName", "meta.version", "nosuch", "name.nosuch", "emails[type eq \"nosuch\"]" })
        {
            yield return new("schema-urn-patch-paths", g.AlphaRequest("PATCH", $"Users/{id}", PatchOf($$"""{"op":"remove","path":"{{attribute.Replace("\"", "\\\"", StringComparison.Ordinal)}}"}""")));
        }
    }

    private static IEnumerable<HostileCase> Authentication(HostileGateway g, string id)
    {
        string[] values = ["", "Bearer", "Bearer ", "Bearer  ", "bearer " + g.TokenAlpha, "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("a:b")), "Bearer " + g.TokenBeta, "Bearer " + g.TokenAlpha + "x", "Bearer " + g.TokenAlpha[..^1], "Bearer " + new string('t', 10_000), "Token " + g.TokenAlpha, "Bearer\t" + g.TokenAlpha];
        foreach (var value in values)
        {
            foreach (var (method, target, body) in new[] { ("GET", "Users", (string?)null), ("POST", "Users", ValidUser(Unique("auth"))), ("DELETE", $"Users/{id}", null), ("PATCH", $"Users/{id}", PatchOf("""{"op":"replace","path":"active","value":false}""")) })
            {
                var request = g.AlphaRequest(method, target, body);
                request = request with { Headers = [.. request.Headers.Where(h => h.Name != "Authorization"), .. value.Length == 0 ? Array.Empty<(string, string)>() : [("Authorization", value)]] };
                yield return new("authentication", request);
            }
        }
    }

    /// <summary>Alpha's token on beta's URL, beta's ids on alpha's URL: never beta's data, never a change to beta.</summary>
    private static IEnumerable<HostileCase> CrossTenant(HostileGateway g)
    {
        foreach (var betaId in g.BetaIds)
        {
            yield return new("cross-tenant", g.AlphaRequest("GET", $"Users/{betaId}"));
            yield return new("cross-tenant", g.AlphaRequest("DELETE", $"Users/{betaId}"));
            yield return new("cross-tenant", g.AlphaRequest("PATCH", $"Users/{betaId}", PatchOf("""{"op":"replace","path":"active","value":false}""")));
            yield return new("cross-tenant", new RawRequest("GET", $"/scim/{Beta}/v2/Users/{betaId}", [("Authorization", "Bearer " + g.TokenAlpha)], null));
            yield return new("cross-tenant", new RawRequest("DELETE", $"/scim/{Beta}/v2/Users/{betaId}", [("Authorization", "Bearer " + g.TokenAlpha)], null));
        }

        foreach (var filter in new[] { "userName sw \"" + BetaMarker + "\"", "userName co \"beta\"", "externalId sw \"" + BetaMarker + "\"", "id pr", "userName pr or not (userName pr)" })
        {
            yield return new("cross-tenant", g.AlphaRequest("GET", "Users?count=1000&filter=" + Uri.EscapeDataString(filter)));
        }

        yield return new("cross-tenant", new RawRequest("GET", $"/scim/{Beta}/v2/Users?filter=" + Uri.EscapeDataString("userName pr"), [("Authorization", "Bearer " + g.TokenAlpha)], null));
    }
}
