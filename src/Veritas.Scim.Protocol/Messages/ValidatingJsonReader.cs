using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Veritas.Scim.Protocol.Errors;

namespace Veritas.Scim.Protocol.Messages;

/// <summary>
/// The door: one pass of a <see cref="Utf8JsonReader"/> over a request body that checks it and
/// builds its node tree at once, so that no later layer meets a node that could still fail when it
/// is first touched. Refused, as 400 invalidSyntax with the JSON path and position: malformed JSON,
/// nesting deeper than <see cref="ScimJson.MaxDepth"/>, a member name twice in one object (in any
/// letter case, since SCIM attribute names are case-insensitive, RFC 7643 §2.1), and strings that
/// are not Unicode text (escaped lone or reversed surrogates, invalid or overlong UTF-8).
/// </summary>
internal ref struct ValidatingJsonReader
{
    private readonly ReadOnlySpan<byte> _utf8;
    private Utf8JsonReader _reader;

    private ValidatingJsonReader(ReadOnlySpan<byte> utf8)
    {
        _utf8 = utf8;
        _reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = ScimJson.MaxDepth, CommentHandling = JsonCommentHandling.Disallow });
    }

    /// <exception cref="ScimException">400 invalidSyntax.</exception>
    public static JsonNode? Read(ReadOnlySpan<byte> utf8)
    {
        var reader = new ValidatingJsonReader(utf8);
        try
        {
            if (!reader._reader.Read())
            {
                throw ScimException.InvalidSyntax("The request body is not valid JSON (it is empty).");
            }

            var root = reader.ReadValue("$");
            if (reader._reader.Read())
            {
                throw reader.Refuse("The request body is not valid JSON: more follows the document", "$");
            }

            return root;
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" (line {line + 1}, byte {ex.BytePositionInLine + 1})" : string.Empty;
            throw ScimException.InvalidSyntax($"The request body is not valid JSON{where}.");
        }
    }

    private JsonNode? ReadValue(string path) => _reader.TokenType switch
    {
        JsonTokenType.StartObject => ReadObject(path),
        JsonTokenType.StartArray => ReadArray(path),
        JsonTokenType.String => JsonValue.Create(ReadText(path)),
        JsonTokenType.True => JsonValue.Create(true),
        JsonTokenType.False => JsonValue.Create(false),
        JsonTokenType.Null => null,

        // Parsed from the reader so that the number keeps the exact text the client sent.
        _ => JsonNode.Parse(ref _reader),
    };

    private JsonObject ReadObject(string path)
    {
        var result = new JsonObject();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (_reader.Read() && _reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = ReadText(path);
            var memberPath = MemberPath(path, name);
            if (!names.Add(name))
            {
                var first = names.TryGetValue(name, out var earlier) ? earlier : name;
                throw Refuse(
                    string.Equals(first, name, StringComparison.Ordinal)
                        ? $"The request body names '{name}' twice in one object"
                        : $"The request body names '{first}' and '{name}' in one object; attribute names ignore letter case (RFC 7643 §2.1), so that is the same member twice",
                    memberPath);
            }

            _reader.Read();
            result.Add(name, ReadValue(memberPath));
        }

        return result;
    }

    private JsonArray ReadArray(string path)
    {
        var result = new JsonArray();
        while (_reader.Read() && _reader.TokenType != JsonTokenType.EndArray)
        {
            result.Add(ReadValue($"{path}[{result.Count}]"));
        }

        return result;
    }

    /// <summary>A string or member name, refused when it does not decode to Unicode text.</summary>
    private string ReadText(string path)
    {
        try
        {
            return _reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw Refuse("The request body has a string that is not valid Unicode (an unpaired surrogate escape or invalid UTF-8)", path);
        }
    }

    private readonly ScimException Refuse(string what, string path)
    {
        var offset = (int)Math.Min(_reader.TokenStartIndex, _utf8.Length);
        var before = _utf8[..offset];
        var line = before.Count((byte)'\n') + 1;
        var column = offset - (before.LastIndexOf((byte)'\n') + 1) + 1;
        return ScimException.InvalidSyntax($"{what}, at {path} (line {line}, byte {column}).");
    }

    /// <summary>A JSONPath for the detail; names that are not plain words are quoted.</summary>
    private static string MemberPath(string parent, string name)
    {
        var plain = name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] is '_' or '$')
            && name.AsSpan().IndexOfAnyExcept(PlainNameChars) < 0;
        if (plain)
        {
            return parent + "." + name;
        }

        var escaped = new StringBuilder(name.Length + 8).Append(parent).Append("['");
        foreach (var c in name)
        {
            escaped.Append(c switch
            {
                '\'' => "\\'",
                '\\' => "\\\\",
                _ when char.IsControl(c) || char.IsSurrogate(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }

        return escaped.Append("']").ToString();
    }

    private static readonly System.Buffers.SearchValues<char> PlainNameChars =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$-");
}
