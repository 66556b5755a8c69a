using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Veritas.Scim.Protocol.Errors;

namespace Veritas.Scim.Protocol.Filtering;

/// <summary>
/// Parses the filter grammar of RFC 7644 §3.4.2.2 and the PATCH path grammar of §3.5.2, with the
/// leniencies Microsoft Entra ID needs: operators and keywords in any letter case, unquoted
/// comparison values (<c>externalId eq jyoung</c>) read as text, and a sub-attribute after a value
/// filter in a filter (<c>emails[type eq "work"].value eq "x"</c>), read as
/// <c>emails[type eq "work" and value eq "x"]</c>: the same users match, and the printer writes
/// that canonical form.
/// </summary>
/// <remarks>
/// Recursion happens only on nesting (parentheses, <c>not</c>, brackets), which
/// <see cref="FilterParserOptions.MaxDepth"/> bounds; <c>and</c>/<c>or</c> chains are built in loops
/// as left-deep trees. Any text gives either an AST or a <see cref="ScimException"/> (400,
/// <c>invalidFilter</c> or <c>invalidPath</c>) whose detail names the character offset.
/// </remarks>
public static class FilterParser
{
    public static Filter Parse(string text, FilterParserOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new Reader(text, options ?? FilterParserOptions.Default, isPatchPath: false).ReadFilter();
    }

    public static PatchPath ParsePatchPath(string path, FilterParserOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        return new Reader(path, options ?? FilterParserOptions.Default, isPatchPath: true).ReadPatchPath();
    }

    private sealed class Reader(string text, FilterParserOptions options, bool isPatchPath)
    {
        private const int MaxQuotedLength = 24;

        private readonly string _text = text;
        private readonly FilterParserOptions _options = options;
        private readonly bool _isPatchPath = isPatchPath;
        private int _position;
        private int _depth;
        private bool _inValueFilter;

        private bool AtEnd => _position >= _text.Length;

        private char Current => _text[_position];

        public Filter ReadFilter()
        {
            CheckLength();
            SkipWhitespace();
            if (AtEnd)
            {
                throw Error("the filter is empty");
            }

            var filter = ReadOr();
            SkipWhitespace();
            if (!AtEnd)
            {
                throw Expected("'and', 'or' or the end of the filter");
            }

            return filter;
        }

        public PatchPath ReadPatchPath()
        {
            CheckLength();
            SkipWhitespace();
            if (AtEnd)
            {
                throw Error("the path is empty");
            }

            var attribute = ReadAttributePath();
            PatchPath result;
            if (!AtEnd && Current == '[')
            {
                var valueFilter = ReadValueFilter(attribute);
                string? subAttribute = null;
                if (!AtEnd && Current == '.')
                {
                    _position++;
                    subAttribute = ReadName();
                }

                result = new PatchPath(attribute, valueFilter, subAttribute);
            }
            else
            {
                result = new PatchPath(attribute);
            }

            SkipWhitespace();
            if (!AtEnd)
            {
                throw Expected("the end of the path");
            }

            return result;
        }

        private void CheckLength()
        {
            if (_text.Length > _options.MaxLength)
            {
                _position = _options.MaxLength;
                throw Error($"the text is longer than {_options.MaxLength} characters");
            }
        }

        private Filter ReadOr()
        {
            var filter = ReadAnd();
            while (TryReadKeyword(FilterSyntax.Or))
            {
                filter = new OrFilter(filter, ReadAnd());
            }

            return filter;
        }

        private Filter ReadAnd()
        {
            var filter = ReadOperand();
            while (TryReadKeyword(FilterSyntax.And))
            {
                filter = new AndFilter(filter, ReadOperand());
            }

            return filter;
        }

        private Filter ReadOperand()
        {
            SkipWhitespace();
            if (AtEnd)
            {
                throw Expected("an attribute path, '(' or 'not'");
            }

            if (Current == '(')
            {
                return ReadGroup();
            }

            if (IsNotKeyword())
            {
                _position += FilterSyntax.Not.Length;
                SkipWhitespace();
                return new NotFilter(ReadGroup());
            }

            return ReadAttributeExpression();
        }

        /// <summary><c>( filter )</c>, the current character being the opening parenthesis.</summary>
        private Filter ReadGroup()
        {
            Enter();
            _position++;
            var filter = ReadOr();
            SkipWhitespace();
            Expect(')');
            _depth--;
            return filter;
        }

        /// <summary><c>not</c> is a keyword only before a parenthesis; elsewhere it may name an attribute.</summary>
        private bool IsNotKeyword()
        {
            if (!StartsWithWord(FilterSyntax.Not))
            {
                return false;
            }

            var next = _position + FilterSyntax.Not.Length;
            while (next < _text.Length && char.IsWhiteSpace(_text[next]))
            {
                next++;
            }

            return next < _text.Length && _text[next] == '(';
        }

        private Filter ReadAttributeExpression()
        {
            var path = ReadAttributePath();
            if (AtEnd || Current != '[')
            {
                return ReadComparison(path);
            }

            var valueFilter = ReadValueFilter(path);
            if (AtEnd || Current != '.')
            {
                return new ValuePathFilter(path, valueFilter);
            }

            // Entra: emails[type eq "work"].value eq "x" — one value must satisfy both conditions.
            _position++;
            var subAttribute = ReadName();
            var comparison = ReadComparison(new AttributePath(null, subAttribute));
            return new ValuePathFilter(path, new AndFilter(valueFilter, comparison));
        }

        /// <summary><c>[ valFilter ]</c>, the current character being the opening bracket.</summary>
        private Filter ReadValueFilter(AttributePath path)
        {
            if (_inValueFilter)
            {
                throw Error("a value filter cannot contain another value filter");
            }

            if (path.SubAttribute is not null)
            {
                throw Error("a value filter applies to an attribute, not to a sub-attribute");
            }

            Enter();
            _position++;
            _inValueFilter = true;
            var filter = ReadOr();
            SkipWhitespace();
            Expect(']');
            _inValueFilter = false;
            _depth--;
            return filter;
        }

        private Filter ReadComparison(AttributePath path)
        {
            SkipWhitespace();
            var start = _position;
            while (!AtEnd && char.IsAsciiLetter(Current))
            {
                _position++;
            }

            var word = _text.AsSpan(start, _position - start);
            if (word.Equals(FilterSyntax.Present, StringComparison.OrdinalIgnoreCase))
            {
                return new PresentFilter(path);
            }

            if (!FilterSyntax.TryParseOperator(word, out var comparison))
            {
                _position = start;
                throw Expected($"an operator ({FilterSyntax.ExpectedOperators})");
            }

            return new ComparisonFilter(path, comparison, ReadLiteral());
        }

        private FilterLiteral ReadLiteral()
        {
            SkipWhitespace();
            if (AtEnd || Current is ')' or ']' or '(' or '[')
            {
                throw Expected("a value");
            }

            if (Current == '"')
            {
                return FilterLiteral.FromString(ReadJsonString());
            }

            // A bare word: true, false, null, a JSON number, or (Entra) an unquoted string.
            var start = _position;
            while (!AtEnd && !char.IsWhiteSpace(Current) && Current is not ('(' or ')' or '[' or ']' or '"'))
            {
                _position++;
            }

            var word = _text.AsSpan(start, _position - start);
            if (word.Equals("true", StringComparison.OrdinalIgnoreCase))
            {
                return FilterLiteral.FromBoolean(true);
            }

            if (word.Equals("false", StringComparison.OrdinalIgnoreCase))
            {
                return FilterLiteral.FromBoolean(false);
            }

            if (word.Equals("null", StringComparison.OrdinalIgnoreCase))
            {
                return FilterLiteral.Null;
            }

            return FilterSyntax.IsJsonNumber(word)
                ? FilterLiteral.FromNumber(word.ToString())
                : FilterLiteral.FromString(word.ToString());
        }

        private string ReadJsonString()
        {
            var start = _position;
            _position++;
            StringBuilder? builder = null;
            var runStart = _position;
            while (true)
            {
                if (AtEnd)
                {
                    _position = start;
                    throw Error("the string that starts here has no closing quote");
                }

                var c = Current;
                if (c == '"')
                {
                    var run = _text.AsSpan(runStart, _position - runStart);
                    _position++;
                    return builder is null ? run.ToString() : builder.Append(run).ToString();
                }

                if (c < ' ')
                {
                    throw Error("a control character in a string must be escaped");
                }

                if (c != '\\')
                {
                    _position++;
                    continue;
                }

                builder ??= new StringBuilder();
                builder.Append(_text.AsSpan(runStart, _position - runStart));
                builder.Append(ReadEscape());
                runStart = _position;
            }
        }

        private char ReadEscape()
        {
            var escapeStart = _position;
            _position++;
            if (AtEnd)
            {
                _position = escapeStart;
                throw Error("the escape sequence is incomplete");
            }

            var c = Current;
            _position++;
            switch (c)
            {
                case '"': return '"';
                case '\\': return '\\';
                case '/': return '/';
                case 'b': return '\b';
                case 'f': return '\f';
                case 'n': return '\n';
                case 'r': return '\r';
                case 't': return '\t';
                case 'u':
                    if (_position + 4 <= _text.Length
                        && ushort.TryParse(_text.AsSpan(_position, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
                    {
                        _position += 4;
                        return (char)code;
                    }

                    _position = escapeStart;
                    throw Error("\\u must be followed by four hexadecimal digits");
                default:
                    _position = escapeStart;
                    throw Error("the escape sequence is not valid JSON");
            }
        }

        /// <summary>
        /// <c>[URI ":"] ATTRNAME ["." subAttr]</c>. A URN holds colons and dots (<c>…:2.0:User</c>),
        /// an attribute name neither, so the URN ends at the last colon of the token.
        /// </summary>
        private AttributePath ReadAttributePath()
        {
            var start = _position;
            while (!AtEnd && FilterSyntax.IsPathChar(Current))
            {
                _position++;
            }

            var token = _text.AsSpan(start, _position - start);
            if (token.IsEmpty)
            {
                throw Expected("an attribute path");
            }

            string? urn = null;
            var nameStart = start;
            if (token.StartsWith("urn:", StringComparison.OrdinalIgnoreCase))
            {
                var lastColon = token.LastIndexOf(':');
                var urnText = token[..lastColon];
                if (!IsValidUrn(urnText))
                {
                    throw ErrorAt(start, "the schema URN is not valid");
                }

                urn = urnText.ToString();
                nameStart = start + lastColon + 1;
            }
            else if (token.Contains(':'))
            {
                throw ErrorAt(start + token.IndexOf(':'), "':' may appear only in a schema URN (urn:…)");
            }

            var names = _text.AsSpan(nameStart, _position - nameStart);
            var dot = names.IndexOf('.');
            var name = dot < 0 ? names : names[..dot];
            if (!FilterSyntax.IsValidName(name))
            {
                throw ErrorAt(nameStart, "expected an attribute name (a letter, then letters, digits, '-' or '_')");
            }

            if (dot < 0)
            {
                return new AttributePath(urn, name.ToString());
            }

            var subAttribute = names[(dot + 1)..];
            if (!FilterSyntax.IsValidName(subAttribute))
            {
                throw ErrorAt(nameStart + dot + 1, "expected a sub-attribute name after '.'");
            }

            return new AttributePath(urn, name.ToString(), subAttribute.ToString());
        }

        private static bool IsValidUrn(ReadOnlySpan<char> urn)
        {
            // urn:<segment>(:<segment>)*, no segment empty.
            if (urn.Length <= "urn:".Length)
            {
                return false;
            }

            var rest = urn["urn:".Length..];

            foreach (var range in rest.Split(':'))
            {
                if (rest[range].IsEmpty)
                {
                    return false;
                }
            }

            return true;
        }

        private string ReadName()
        {
            var start = _position;
            while (!AtEnd && FilterSyntax.IsNameChar(Current))
            {
                _position++;
            }

            var name = _text.AsSpan(start, _position - start);
            if (!FilterSyntax.IsValidName(name))
            {
                _position = start;
                throw Expected("a sub-attribute name after '.'");
            }

            return name.ToString();
        }

        /// <summary>Reads <c>and</c>/<c>or</c> (any case) when it comes next as a whole word.</summary>
        private bool TryReadKeyword(string keyword)
        {
            var saved = _position;
            SkipWhitespace();
            if (StartsWithWord(keyword))
            {
                _position += keyword.Length;
                return true;
            }

            _position = saved;
            return false;
        }

        private bool StartsWithWord(string word)
        {
            var end = _position + word.Length;
            return end <= _text.Length
                && _text.AsSpan(_position, word.Length).Equals(word, StringComparison.OrdinalIgnoreCase)
                && (end == _text.Length || !FilterSyntax.IsPathChar(_text[end]));
        }

        private void Enter()
        {
            if (++_depth > _options.MaxDepth)
            {
                throw Error($"the text is nested more than {_options.MaxDepth} levels deep");
            }

            if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
            {
                throw Error("the text is nested too deeply");
            }
        }

        private void Expect(char expected)
        {
            if (AtEnd || Current != expected)
            {
                throw Expected($"'{expected}'");
            }

            _position++;
        }

        private void SkipWhitespace()
        {
            while (!AtEnd && char.IsWhiteSpace(Current))
            {
                _position++;
            }
        }

        private ScimException Expected(string what) => Error($"expected {what} but found {DescribeCurrent()}");

        private string DescribeCurrent()
        {
            if (AtEnd)
            {
                return "the end of the text";
            }

            var end = _position;
            while (end < _text.Length && end - _position < MaxQuotedLength && !char.IsWhiteSpace(_text[end]))
            {
                end++;
            }

            return end == _position ? $"'{Current}'" : $"'{_text.AsSpan(_position, end - _position)}'";
        }

        private ScimException ErrorAt(int position, string problem)
        {
            _position = position;
            return Error(problem);
        }

        private ScimException Error(string problem)
        {
            var detail = string.Create(CultureInfo.InvariantCulture, $"{(_isPatchPath ? "Invalid path" : "Invalid filter")} at position {_position}: {problem}.");
            return _isPatchPath ? ScimException.InvalidPath(detail) : ScimException.InvalidFilter(detail);
        }
    }
}
