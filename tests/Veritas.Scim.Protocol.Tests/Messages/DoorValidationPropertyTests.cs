using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using Veritas.Scim.Protocol.Errors;
using Veritas.Scim.Protocol.Messages;

namespace Veritas.Scim.Protocol.Tests.Messages;

/// <summary>
/// The door (issue 8 §1) over classes of documents: random User, PatchOp and SearchRequest bodies,
/// valid ones and the same bodies with one defect injected at a random depth and position.
/// </summary>
public sealed class DoorValidationPropertyTests
{
    /// <summary>Cases tried per class; the report of issue 8 quotes these.</summary>
    internal const int Cases = 3000;

    private static readonly string[] LoneSurrogates = ["\\ud800", "\\udc00", "\\udc00\\ud800", "\\uDBFF\\u0041", "\\udfff", "\\ud83d"];

    private static readonly byte[][] InvalidUtf8 =
    [
        [0xC3, 0x28], // a lead byte without its continuation
        [0xC0, 0xAF], // an overlong '/'
        [0xE0, 0x80, 0xAF], // an overlong '/' in three bytes
        [0xED, 0xA0, 0x80], // a surrogate encoded as UTF-8 (CESU)
        [0xF4, 0x90, 0x80, 0x80], // above U+10FFFF
        [0xFF],
        [0x80], // a continuation byte alone
        [0xE2, 0x82], // a truncated sequence
    ];

    [Fact]
    public void Valid_documents_parse_exactly_as_a_plain_JSON_parser_reads_them()
    {
        RawJsonGen.AnyDocument.Sample(
            document =>
            {
                var utf8 = document.ToUtf8();
                var expected = JsonNode.Parse(utf8)!;

                var parsed = ScimJson.ParseObject(utf8);

                Assert.True(JsonNode.DeepEquals(expected, parsed), Encoding.UTF8.GetString(utf8));
                Assert.Equal(ScimJson.Serialize(expected), ScimJson.Serialize(parsed));
            },
            iter: Cases);
    }

    [Fact]
    public void A_member_named_twice_at_any_depth_in_any_letter_case_is_invalidSyntax_at_its_path()
    {
        Gen.Select(RawJsonGen.AnyDocument, Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue], Gen.Bool, RawJsonGen.Scalar)
            .Sample(
                (document, whichObject, whichMember, where, caseVariant, value) =>
                {
                    var objects = RawJsonGen.Objects(document).Where(o => o.Target.Members.Count > 0).ToList();
                    var (target, path) = objects[whichObject % objects.Count];
                    var original = whichMember % target.Members.Count;
                    var name = target.Members[original].Name.Plain;
                    var duplicate = (caseVariant ? RawJsonGen.CaseVariant(name, whichMember) : null) ?? name;
                    var at = where % (target.Members.Count + 1);
                    target.Members.Insert(at, (RawJson.Text(duplicate), value));
                    var later = at <= original ? name : duplicate;

                    var error = Assert.Throws<ScimException>(() => ScimJson.ParseObject(document.ToUtf8()));

                    Assert.Equal(400, error.Status);
                    Assert.Equal(ScimErrorType.InvalidSyntax, error.ScimType);
                    Assert.Contains($"at {RawJsonGen.PathOf(path, later)} (line 1, byte ", error.Message, StringComparison.Ordinal);
                },
                iter: Cases);
    }

    [Fact]
    public void An_escaped_lone_or_reversed_surrogate_in_any_string_or_member_name_is_invalidSyntax() =>
        AssertRefusedWherever(Gen.OneOfConst(LoneSurrogates).Select(Encoding.ASCII.GetBytes), "not valid Unicode");

    [Fact]
    public void Invalid_UTF8_bytes_in_any_string_or_member_name_are_invalidSyntax() =>
        AssertRefusedWherever(Gen.OneOfConst(InvalidUtf8), detail: null);

    /// <summary>Puts a piece into a random string (value or member name) at a random place.</summary>
    private static void AssertRefusedWherever(Gen<byte[]> defect, string? detail) =>
        Gen.Select(RawJsonGen.AnyDocument, Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue], defect)
            .Sample(
                (document, whichString, where, piece) =>
                {
                    var strings = RawJsonGen.Strings(document);
                    var target = strings[whichString % strings.Count];
                    target.Pieces.Insert(where % (target.Pieces.Count + 1), piece);

                    var error = Assert.Throws<ScimException>(() => ScimJson.ParseObject(document.ToUtf8()));

                    Assert.Equal(400, error.Status);
                    Assert.Equal(ScimErrorType.InvalidSyntax, error.ScimType);
                    if (detail is not null)
                    {
                        Assert.Contains(detail, error.Message, StringComparison.Ordinal);
                        Assert.Contains(", at $", error.Message, StringComparison.Ordinal);
                    }
                },
                iter: Cases);
}
