using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Veritas.Scim.Protocol.Errors;

namespace Veritas.Scim.Protocol.Filtering;

/// <summary>
/// Writes a filter or PATCH path as canonical text that <see cref="FilterParser"/> reads back to an
/// equal AST: lower-case operators and keywords, strings JSON-quoted, parentheses only where
/// precedence (<c>not</c> over <c>and</c> over <c>or</c>) or a right-nested chain needs them.
/// </summary>
public static class FilterPrinter
{
    public static string Print(Filter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var builder = new StringBuilder();
        Write(builder, filter);
        return builder.ToString();
    }

    public static string Print(PatchPath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var builder = new StringBuilder();
        WritePath(builder, path.Attribute);
        if (path.ValueFilter is not null)
        {
            builder.Append('[');
            Write(builder, path.ValueFilter);
            builder.Append(']');
        }

        if (path.SubAttribute is not null)
        {
            builder.Append('.').Append(path.SubAttribute);
        }

        return builder.ToString();
    }

    public static string Print(AttributePath path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var builder = new StringBuilder();
        WritePath(builder, path);
        return builder.ToString();
    }

    private static void Write(StringBuilder builder, Filter filter)
    {
        if (!RuntimeHelpers.TryEnsureSufficientExecutionStack())
        {
            throw ScimException.InvalidFilter("The filter is nested too deeply to print.");
        }

        switch (filter)
        {
            case ComparisonFilter comparison:
                WritePath(builder, comparison.Path);
                builder.Append(' ').Append(FilterSyntax.Spell(comparison.Operator)).Append(' ');
                WriteLiteral(builder, comparison.Value);
                break;
            case PresentFilter present:
                WritePath(builder, present.Path);
                builder.Append(' ').Append(FilterSyntax.Present);
                break;
            case NotFilter not:
                builder.Append(FilterSyntax.Not).Append(" (");
                Write(builder, not.Operand);
                builder.Append(')');
                break;
            case ValuePathFilter valuePath:
                WritePath(builder, valuePath.Path);
                builder.Append('[');
                Write(builder, valuePath.ValueFilter);
                builder.Append(']');
                break;
            case AndFilter or OrFilter:
                WriteChain(builder, filter);
                break;
            default:
                throw new ArgumentException($"Unknown filter node {filter.GetType().Name}.", nameof(filter));
        }
    }

    /// <summary>
    /// Writes a left-deep chain of one connective in a loop, so that a long <c>a and b and …</c>
    /// costs no stack. A right operand of the same connective is parenthesised so that it parses
    /// back as written; an <c>or</c> under an <c>and</c> is parenthesised for precedence.
    /// </summary>
    private static void WriteChain(StringBuilder builder, Filter chain)
    {
        var isAnd = chain is AndFilter;
        var rightOperands = new List<Filter>();
        var node = chain;
        while (TrySplit(node, isAnd, out var left, out var right))
        {
            rightOperands.Add(right);
            node = left;
        }

        WriteOperand(builder, node, isAnd);
        var keyword = isAnd ? FilterSyntax.And : FilterSyntax.Or;
        for (var i = rightOperands.Count - 1; i >= 0; i--)
        {
            builder.Append(' ').Append(keyword).Append(' ');
            WriteOperand(builder, rightOperands[i], isAnd);
        }
    }

    private static bool TrySplit(Filter node, bool isAnd, out Filter left, out Filter right)
    {
        switch (node)
        {
            case AndFilter andNode when isAnd:
                (left, right) = (andNode.Left, andNode.Right);
                return true;
            case OrFilter orNode when !isAnd:
                (left, right) = (orNode.Left, orNode.Right);
                return true;
            default:
                (left, right) = (node, node);
                return false;
        }
    }

    private static void WriteOperand(StringBuilder builder, Filter operand, bool inAnd)
    {
        var needsParentheses = operand is OrFilter || (inAnd && operand is AndFilter);
        if (needsParentheses)
        {
            builder.Append('(');
        }

        Write(builder, operand);
        if (needsParentheses)
        {
            builder.Append(')');
        }
    }

    private static void WritePath(StringBuilder builder, AttributePath path)
    {
        if (path.SchemaUrn is not null)
        {
            builder.Append(path.SchemaUrn).Append(':');
        }

        builder.Append(path.Name);
        if (path.SubAttribute is not null)
        {
            builder.Append('.').Append(path.SubAttribute);
        }
    }

    private static void WriteLiteral(StringBuilder builder, FilterLiteral literal)
    {
        switch (literal.Kind)
        {
            case FilterLiteralKind.Null:
                builder.Append("null");
                break;
            case FilterLiteralKind.Boolean:
                builder.Append(literal.Boolean ? "true" : "false");
                break;
            case FilterLiteralKind.Number:
                builder.Append(literal.Value);
                break;
            default:
                WriteJsonString(builder, literal.Value ?? string.Empty);
                break;
        }
    }

    private static void WriteJsonString(StringBuilder builder, string value)
    {
        builder.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case < ' ': builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)); break;
                default: builder.Append(c); break;
            }
        }

        builder.Append('"');
    }
}
