using CsCheck;
using Veritas.Scim.Protocol.Errors;
using Veritas.Scim.Protocol.Filtering;

namespace Veritas.Scim.Protocol.Tests.Filtering;

public sealed class FilterPropertyTests
{
    private const int Iterations = 2_000;

    private static readonly Gen<string> GenName = Gen.Frequency(
        (6, Gen.Select(Gen.Char["abcxyzABCXYZ$"], Gen.String[Gen.Char["abcXYZ019-_$"], 0, 8], (first, rest) => first + rest)),
        (1, Gen.OneOfConst("not", "and", "or", "pr", "eq", "NOT", "value", "type", "$ref", "urn")));

    private static readonly Gen<string?> GenUrn = Gen.Frequency(
        (6, Gen.Const((string?)null)),
        (1, Gen.OneOfConst<string?>(
            "urn:ietf:params:scim:schemas:core:2.0:User",
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
            "urn:ietf:params:scim:schemas:extension:veritas:2.0:User",
            "urn:x:1.0.0:a-b")));

    private static readonly Gen<AttributePath> GenPath = Gen.Select(
        GenUrn,
        GenName,
        Gen.Frequency((3, Gen.Const((string?)null)), (1, GenName.Select(n => (string?)n))),
        (urn, name, sub) => new AttributePath(urn, name, sub));

    private static readonly Gen<AttributePath> GenSimplePath = GenName.Select(n => new AttributePath(null, n));

    private static readonly Gen<FilterLiteral> GenLiteral = Gen.Frequency(
        (5, Gen.String.Select(FilterLiteral.FromString)),
        (2, Gen.String[Gen.Char["abc@.-_ \"\\\t\n\u00e9\u4e2d\u0001/"], 0, 12].Select(FilterLiteral.FromString)),
        (2, Gen.OneOfConst("0", "-1", "42", "3.25", "-0.5e-3", "1E+10", "12345678901234567890").Select(FilterLiteral.FromNumber)),
        (1, Gen.Bool.Select(FilterLiteral.FromBoolean)),
        (1, Gen.Const(FilterLiteral.Null)));

    private static readonly Gen<Filter> GenValueFilter = GenFilter(3, GenSimplePath, allowValuePath: false);

    private static readonly Gen<Filter> GenAnyFilter = GenFilter(4, GenPath, allowValuePath: true);

    private static Gen<Filter> GenFilter(int depth, Gen<AttributePath> paths, bool allowValuePath)
    {
        var comparison = Gen.Select(paths, Gen.Enum<ComparisonOperator>(), GenLiteral, (p, op, v) => (Filter)new ComparisonFilter(p, op, v));
        var present = paths.Select(p => (Filter)new PresentFilter(p));
        var leaves = new List<(int, IGen<Filter>)> { (4, comparison), (1, present) };
        if (allowValuePath)
        {
            leaves.Add((1, Gen.Select(GenName, GenUrn, GenValueFilter, (name, urn, inner) => (Filter)new ValuePathFilter(new AttributePath(urn, name), inner))));
        }

        var leaf = Gen.Frequency([.. leaves]);
        if (depth == 0)
        {
            return leaf;
        }

        var child = GenFilter(depth - 1, paths, allowValuePath);
        return Gen.Frequency(
            (3, leaf),
            (2, Gen.Select(child, child, (l, r) => (Filter)new AndFilter(l, r))),
            (2, Gen.Select(child, child, (l, r) => (Filter)new OrFilter(l, r))),
            (1, child.Select(f => (Filter)new NotFilter(f))));
    }

    [Fact]
    public void Printed_filters_parse_back_to_an_equal_AST() =>
        GenAnyFilter.Sample(
            filter => Assert.Equal(filter, FilterParser.Parse(FilterPrinter.Print(filter), new FilterParserOptions { MaxLength = 1_000_000 })),
            iter: Iterations,
            print: FilterPrinter.Print);

    [Fact]
    public void Printed_PATCH_paths_parse_back_to_an_equal_path()
    {
        var gen = Gen.Frequency(
            (2, GenPath.Select(p => new PatchPath(p))),
            (3, Gen.Select(
                GenUrn,
                GenName,
                GenValueFilter,
                Gen.Frequency((1, Gen.Const((string?)null)), (1, GenName.Select(n => (string?)n))),
                (urn, name, inner, sub) => new PatchPath(new AttributePath(urn, name), inner, sub))));
        gen.Sample(
            path => Assert.Equal(path, FilterParser.ParsePatchPath(FilterPrinter.Print(path), new FilterParserOptions { MaxLength = 1_000_000 })),
            iter: Iterations,
            print: FilterPrinter.Print);
    }

    [Fact]
    public void Random_text_gives_an_AST_or_invalidFilter_and_nothing_else()
    {
        var alphabet = Gen.Char["abeqnotrpswlgcANDOR()[]\".:\\u0123 $-_\t"];
        var gen = Gen.Frequency((3, Gen.String[alphabet, 0, 60]), (1, Gen.String));
        gen.Sample(text => AssertParsesOrFailsCleanly(text, path: false), iter: 10_000);
        gen.Sample(text => AssertParsesOrFailsCleanly(text, path: true), iter: 10_000);
    }

    [Fact]
    public void Mutated_valid_filters_give_an_AST_or_invalidFilter_and_nothing_else()
    {
        var gen = Gen.Select(GenAnyFilter, Gen.Int[0, 1000], Gen.Int[0, 3], Gen.Char["()[]\" .:\\a1"], (filter, at, kind, c) =>
        {
            var text = FilterPrinter.Print(filter);
            var i = text.Length == 0 ? 0 : at % text.Length;
            return kind switch
            {
                0 => text.Remove(i, 1),
                1 => text.Insert(i, c.ToString()),
                2 => text[..i],
                _ => text.Remove(i, 1).Insert(i, c.ToString()),
            };
        });
        gen.Sample(text => AssertParsesOrFailsCleanly(text, path: false), iter: Iterations);
    }

    private static void AssertParsesOrFailsCleanly(string text, bool path)
    {
        try
        {
            if (path)
            {
                var parsed = FilterParser.ParsePatchPath(text);
                Assert.Equal(parsed, FilterParser.ParsePatchPath(FilterPrinter.Print(parsed)));
            }
            else
            {
                var parsed = FilterParser.Parse(text);
                Assert.Equal(parsed, FilterParser.Parse(FilterPrinter.Print(parsed), new FilterParserOptions { MaxLength = 1_000_000 }));
            }
        }
        catch (ScimException e)
        {
            Assert.Equal(400, e.Status);
            Assert.Equal(path ? ScimErrorType.InvalidPath : ScimErrorType.InvalidFilter, e.ScimType);
            Assert.Contains(" at position ", e.Message, StringComparison.Ordinal);
        }
    }
}
