using CsCheck;
using Veritas.Scim.Protocol.Errors;
using Veritas.Scim.Translation.Users;

namespace Veritas.Scim.Translation.Tests.Users;

/// <summary>
/// If-Match and If-None-Match against a weak version tag (RFC 9110 §13.1.1–2, §8.8.3.2 weak
/// comparison): a write goes ahead exactly when If-Match, if sent, lists the current tag or <c>*</c>,
/// and If-None-Match, if sent, lists neither.
/// </summary>
public sealed class EntityPreconditionsTests
{
    private static readonly Gen<string> Tag = Gen.OneOf(
        Gen.Int[1, 4].Select(v => $"W/\"{v}\""),
        Gen.Int[1, 4].Select(v => $"\"{v}\""),
        Gen.Const("*"));

    private static readonly Gen<string?> Header = Gen.Frequency(
        (1, Gen.Const((string?)null)),
        (3, Tag.Array[1, 3].Select(tags => (string?)string.Join(", ", tags))));

    [Fact]
    public void A_write_is_allowed_exactly_when_if_match_lists_the_version_and_if_none_match_does_not()
    {
        Gen.Select(Header, Header, Gen.Int[1, 4]).Sample((ifMatch, ifNoneMatch, version) =>
        {
            var current = $"W/\"{version}\"";
            var expected = (ifMatch is null || Lists(ifMatch, version)) && (ifNoneMatch is null || !Lists(ifNoneMatch, version));
            var preconditions = EntityPreconditions.From(ifMatch, ifNoneMatch);
            Assert.Equal(ifMatch is null && ifNoneMatch is null, preconditions is null);
            var refusal = Record.Exception(() => preconditions?.ThrowIfNotMet(current));
            Assert.Equal(expected, refusal is null);
            if (refusal is not null)
            {
                Assert.Equal(412, Assert.IsType<ScimException>(refusal).Status);
            }
        });
    }

    [Fact]
    public void A_read_is_refused_exactly_when_if_match_does_not_list_the_version_and_is_not_modified_exactly_when_if_none_match_does()
    {
        Gen.Select(Header, Header, Gen.Int[1, 4]).Sample((ifMatch, ifNoneMatch, version) =>
        {
            var current = $"W/\"{version}\"";
            var preconditions = EntityPreconditions.From(ifMatch, ifNoneMatch);
            var notModified = false;
            var refusal = Record.Exception(() => notModified = preconditions?.NoneMatchExcludes(current) == true);
            Assert.Equal(ifMatch is not null && !Lists(ifMatch, version), refusal is not null);
            if (refusal is not null)
            {
                Assert.Equal(412, Assert.IsType<ScimException>(refusal).Status);
            }
            else
            {
                Assert.Equal(ifNoneMatch is not null && Lists(ifNoneMatch, version), notModified);
            }
        });
    }

    [Fact]
    public void Only_if_match_pins_the_version()
    {
        Assert.True(EntityPreconditions.IfMatching("W/\"1\"").PinsVersion);
        Assert.False(EntityPreconditions.From(null, "*")!.PinsVersion);
    }

    /// <summary>The oracle, written from the RFC rather than from EntityTags: "*" or the same opaque tag, W/ or not.</summary>
    private static bool Lists(string header, int version)
        => header.Split(", ").Any(tag => tag == "*" || tag == $"W/\"{version}\"" || tag == $"\"{version}\"");
}
