using System.Text;
using CsCheck;

namespace Veritas.Scim.Protocol.Tests.Messages;

/// <summary>
/// A JSON document as bytes on the wire, before any parser has seen it: objects may hold a member
/// twice and strings are sequences of raw UTF-8 pieces, so that tests can build what a JSON
/// library would refuse to write (duplicates, lone surrogate escapes, invalid UTF-8).
/// </summary>
internal abstract record RawJson
{
    public byte[] ToUtf8()
    {
        var output = new List<byte>();
        Write(output);
        return [.. output];
    }

    public abstract void Write(List<byte> output);

    public static RawText Text(string value) => new(RawText.Encode(value));
}

internal sealed record RawObject(List<(RawText Name, RawJson Value)> Members) : RawJson
{
    public override void Write(List<byte> output)
    {
        output.Add((byte)'{');
        for (var i = 0; i < Members.Count; i++)
        {
            if (i > 0)
            {
                output.Add((byte)',');
            }

            Members[i].Name.Write(output);
            output.Add((byte)':');
            Members[i].Value.Write(output);
        }

        output.Add((byte)'}');
    }
}

internal sealed record RawArray(List<RawJson> Items) : RawJson
{
    public override void Write(List<byte> output)
    {
        output.Add((byte)'[');
        for (var i = 0; i < Items.Count; i++)
        {
            if (i > 0)
            {
                output.Add((byte)',');
            }

            Items[i].Write(output);
        }

        output.Add((byte)']');
    }
}

/// <summary>A literal written as is: a number, true, false or null.</summary>
internal sealed record RawLiteral(string Source) : RawJson
{
    public override void Write(List<byte> output) => output.AddRange(Encoding.ASCII.GetBytes(Source));
}

/// <summary>A string as pieces: each one character, raw UTF-8 or a JSON escape.</summary>
internal sealed record RawText(List<byte[]> Pieces) : RawJson
{
    public string Plain => Encoding.UTF8.GetString([.. Pieces.SelectMany(p => p)]);

    public override void Write(List<byte> output)
    {
        output.Add((byte)'"');
        foreach (var piece in Pieces)
        {
            output.AddRange(piece);
        }

        output.Add((byte)'"');
    }

    /// <summary>Valid pieces for a string: some characters escaped, some raw (multi-byte included).</summary>
    public static List<byte[]> Encode(string value, bool escapeAll = false)
    {
        var pieces = new List<byte[]>();
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length)
            {
                pieces.Add(escapeAll
                    ? Encoding.ASCII.GetBytes($"\\u{(int)c:x4}\\u{(int)value[i + 1]:x4}")
                    : Encoding.UTF8.GetBytes(value.Substring(i, 2)));
                i++;
            }
            else if (c is '"' or '\\' || c < ' ' || escapeAll)
            {
                pieces.Add(Encoding.ASCII.GetBytes($"\\u{(int)c:x4}"));
            }
            else
            {
                pieces.Add(Encoding.UTF8.GetBytes(c.ToString()));
            }
        }

        return pieces;
    }
}

/// <summary>Generators of valid raw documents and of the ways to break them.</summary>
internal static class RawJsonGen
{
    /// <summary>Text as clients send it: ASCII, accents, CJK, an emoji (a surrogate pair), quotes.</summary>
    public static Gen<string> Text { get; } = Gen.String[Gen.Char["abcXYZ019 .@-'\"\\/éüß中文\t"], 0, 10]
        .Select(Gen.OneOfConst("", "😀", "\U0001F3F3", "ä"), Gen.Int[0, 10], (s, extra, at) => s.Insert(Math.Min(at, s.Length), extra));

    /// <summary>A string, with its characters written raw or escaped.</summary>
    public static Gen<RawText> String { get; } = Gen.Select(Text, Gen.Bool, (text, escapeAll) => new RawText(RawText.Encode(text, escapeAll)));

    public static Gen<RawJson> Scalar { get; } = Gen.OneOf<RawJson>(
        String.Select(s => (RawJson)s),
        Gen.OneOfConst("0", "-1", "12.50", "1e3", "true", "false", "null", "123456789012345678901234567890").Select(t => (RawJson)new RawLiteral(t)));

    private static readonly string[] CoreNames = ["userName", "displayName", "nickName", "title", "externalId", "active", "locale", "unknownThing", "x-custom"];

    /// <summary>The same name in another letter case: a different JSON member, the same SCIM attribute (null when it has no letter).</summary>
    public static string? CaseVariant(string name, int seed)
    {
        var letters = name.Select((c, i) => (c, i)).Where(p => char.IsAsciiLetter(p.c)).ToList();
        if (letters.Count == 0)
        {
            return null;
        }

        var chars = name.ToCharArray();
        var flip = letters[(int)((uint)seed % letters.Count)].i;
        chars[flip] = char.IsUpper(chars[flip]) ? char.ToLowerInvariant(chars[flip]) : char.ToUpperInvariant(chars[flip]);
        return new string(chars);
    }

    /// <summary>Distinct names (case-insensitively), each in a random letter case.</summary>
    private static Gen<List<string>> Names(string[] candidates, int min, int max) =>
        Gen.Shuffle(candidates).Select(Gen.Int[min, Math.Min(max, candidates.Length)], Gen.Int[0, int.MaxValue], (shuffled, count, caseSeed) =>
            shuffled.Take(count).Select((n, i) => ((caseSeed >> (i % 30)) & 1) == 1 ? n.ToUpperInvariant() : n).ToList());

    private static Gen<RawJson> Object(string[] candidates, int min, int max, Gen<RawJson> value) =>
        Names(candidates, min, max).SelectMany(names => value.Array[names.Count].Select(values =>
            (RawJson)new RawObject([.. names.Select((n, i) => (RawJson.Text(n), values[i]))])));

    private static readonly Gen<RawJson> Email = Object(["value", "type", "primary", "display"], 1, 4, Scalar);

    private static readonly Gen<RawJson> Manager = Object(["value", "$ref", "displayName"], 1, 3, Scalar);

    private static readonly Gen<RawJson> Enterprise = Object(["department", "employeeNumber", "costCenter", "manager"], 1, 4, Gen.OneOf(Scalar, Manager));

    private static readonly Gen<RawJson> Veritas = Gen.OneOf(
        String.Select(s => (RawJson)new RawObject([(RawJson.Text("emailAliases"), s)])),
        String.Array[0, 3].Select(items => (RawJson)new RawObject([(RawJson.Text("emailAliases"), new RawArray([.. items]))])));

    /// <summary>A User body as a client could send it: core attributes, complex and multi-valued ones, both extensions.</summary>
    public static Gen<RawJson> User { get; } = Gen.Select(
        Object(CoreNames, 1, 6, Scalar),
        Object(["givenName", "familyName", "formatted", "middleName"], 0, 4, Scalar),
        Email.Array[0, 3],
        Gen.Bool,
        Gen.Bool,
        (core, name, emails, withEnterprise, withVeritas) => (core, name, emails, withEnterprise, withVeritas))
        .SelectMany(parts => Gen.Select(Enterprise, Veritas, (enterprise, veritas) =>
        {
            var members = ((RawObject)parts.core).Members;
            members.Insert(0, (RawJson.Text("schemas"), new RawArray([RawJson.Text("urn:ietf:params:scim:schemas:core:2.0:User")])));
            if (((RawObject)parts.name).Members.Count > 0)
            {
                members.Add((RawJson.Text("name"), parts.name));
            }

            if (parts.emails.Length > 0)
            {
                members.Add((RawJson.Text("emails"), new RawArray([.. parts.emails])));
            }

            if (parts.withEnterprise)
            {
                members.Add((RawJson.Text("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"), enterprise));
            }

            if (parts.withVeritas)
            {
                members.Add((RawJson.Text("urn:ietf:params:scim:schemas:extension:veritas:2.0:User"), veritas));
            }

            return (RawJson)parts.core;
        }));

    private static readonly Gen<RawJson> PatchValue = Gen.OneOf(
        Scalar,
        Object(["givenName", "familyName", "displayName", "active", "name.givenName", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"], 1, 5, Scalar),
        Email.Array[1, 2].Select(items => (RawJson)new RawArray([.. items])));

    private static readonly Gen<RawJson> Operation = Gen.Select(
        Gen.OneOfConst("add", "Replace", "remove"),
        Gen.OneOfConst("displayName", "name.givenName", "emails[type eq \"work\"].value", "active", ""),
        PatchValue,
        (op, path, value) =>
        {
            List<(RawText, RawJson)> members = [(RawJson.Text("op"), RawJson.Text(op))];
            if (path.Length > 0)
            {
                members.Add((RawJson.Text("path"), RawJson.Text(path)));
            }

            members.Add((RawJson.Text("value"), value));
            return (RawJson)new RawObject(members);
        });

    /// <summary>A PatchOp body: one to four operations with paths and values of every shape.</summary>
    public static Gen<RawJson> PatchOp { get; } = Operation.Array[1, 4].Select(operations => (RawJson)new RawObject(
    [
        (RawJson.Text("schemas"), new RawArray([RawJson.Text("urn:ietf:params:scim:api:messages:2.0:PatchOp")])),
        (RawJson.Text("Operations"), new RawArray([.. operations])),
    ]));

    /// <summary>A SearchRequest body of POST /.search, whose filter is a string like any other.</summary>
    public static Gen<RawJson> SearchRequest { get; } = String.Select(literal => (RawJson)new RawObject(
    [
        (RawJson.Text("schemas"), new RawArray([RawJson.Text("urn:ietf:params:scim:api:messages:2.0:SearchRequest")])),
        (RawJson.Text("filter"), new RawText([.. RawText.Encode("userName eq \""), .. literal.Pieces, .. RawText.Encode("\"")])),
        (RawJson.Text("count"), new RawLiteral("10")),
    ]));

    public static Gen<RawJson> AnyDocument { get; } = Gen.OneOf(User, PatchOp, SearchRequest);

    /// <summary>Every object in the document with its JSON path ($.a.b[0]), depth first.</summary>
    public static List<(RawObject Target, string Path)> Objects(RawJson document, string path = "$")
    {
        var found = new List<(RawObject, string)>();
        switch (document)
        {
            case RawObject obj:
                found.Add((obj, path));
                foreach (var (name, value) in obj.Members)
                {
                    found.AddRange(Objects(value, PathOf(path, name.Plain)));
                }

                break;
            case RawArray array:
                for (var i = 0; i < array.Items.Count; i++)
                {
                    found.AddRange(Objects(array.Items[i], $"{path}[{i}]"));
                }

                break;
        }

        return found;
    }

    /// <summary>Every string in the document, member names included.</summary>
    public static List<RawText> Strings(RawJson document)
    {
        var found = new List<RawText>();
        switch (document)
        {
            case RawText text:
                found.Add(text);
                break;
            case RawObject obj:
                foreach (var (name, value) in obj.Members)
                {
                    found.Add(name);
                    found.AddRange(Strings(value));
                }

                break;
            case RawArray array:
                foreach (var item in array.Items)
                {
                    found.AddRange(Strings(item));
                }

                break;
        }

        return found;
    }

    public static string PathOf(string parent, string name) =>
        name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '$' or '-') && name.Length > 0 && !char.IsAsciiDigit(name[0]) && name[0] != '-'
            ? $"{parent}.{name}"
            : $"{parent}['{name}']";
}
