using CsCheck;
using Veritas.Scim.Gateway.Scim;

namespace Veritas.Scim.Gateway.Tests.Scim;

/// <summary>
/// An id in the path is decoded exactly once, from the request target as sent: the server has
/// decoded the path itself already (all but <c>%2F</c>), and decoding that again would let
/// <c>%2541</c> name the resource <c>A</c>.
/// </summary>
public sealed class ScimOperationsIdTests
{
    [Theory]
    [InlineData("/scim/t/v2/Users/abc", "Users/abc", "abc")]
    [InlineData("/scim/t/v2/Users/a%2Fb", "Users/a%2Fb", "a/b")]
    [InlineData("/scim/t/v2/Users/a%252Fb", "Users/a%2Fb", "a%2Fb")]
    [InlineData("/scim/t/v2/Users/%2541", "Users/%41", "%41")]
    [InlineData("/scim/t/v2/Users/%41?x=%2541", "Users/A", "A")]
    [InlineData("/scim/t/v2/Users/abc/", "Users/abc", "abc")]
    public void The_id_is_the_raw_segment_decoded_once(string rawTarget, string rest, string id)
    {
        var match = ScimOperations.Resolve("GET", rest, ScimOperations.RawRest(rawTarget, rest));
        Assert.Equal(ScimOperationKind.GetUser, match.Method?.Kind);
        Assert.Equal(id, match.Id);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("http://host/scim/t/v2/Users/abc")]
    [InlineData("/scim/t/v2/Users/x/../abc")]
    [InlineData("/scim/t/v2/Users/abc/x/..")]
    [InlineData("/scim/t/v2/Users/abc/x/%2E%2E")]
    [InlineData("/scim/t/v2/Users/abc/./")]
    public void Without_a_raw_target_that_lines_up_the_id_is_the_decoded_segment(string? rawTarget)
    {
        Assert.Null(ScimOperations.RawRest(rawTarget, "Users/abc"));
        Assert.Equal("abc", ScimOperations.Resolve("GET", "Users/abc", ScimOperations.RawRest(rawTarget, "Users/abc")).Id);
    }

    [Theory]
    [InlineData("/scim/t/v2/Users/..", "")]
    [InlineData("/scim/t/v2/", "")]
    [InlineData("/scim/t/v2/Users/..", "Users")]
    public void A_path_the_server_shortened_resolves_without_failing(string rawTarget, string rest) =>
        Assert.Null(ScimOperations.Resolve("GET", rest, ScimOperations.RawRest(rawTarget, rest)).Id);

    /// <summary>For any id, its encoding as a client writes it (once) resolves to the id; encoded twice, to the once-encoded text.</summary>
    [Fact]
    public void Any_id_encoded_once_is_that_id_and_encoded_twice_is_not() =>
        Gen.String[Gen.Char.AlphaNumeric, 1, 12].Select(Gen.OneOfConst("", "%", "/", "+", " ", "é", "%41"), (core, extra) => core + extra + core).Sample(id =>
        {
            var once = Uri.EscapeDataString(id);
            var decodedByServer = Uri.UnescapeDataString(once).Replace("/", "%2F", StringComparison.Ordinal);
            Assert.Equal(id, ScimOperations.Resolve("GET", "Users/" + decodedByServer, ScimOperations.RawRest("/scim/t/v2/Users/" + once, "Users/" + decodedByServer)).Id);

            var twice = Uri.EscapeDataString(once);
            var twiceDecodedByServer = Uri.UnescapeDataString(twice).Replace("/", "%2F", StringComparison.Ordinal);
            Assert.Equal(once, ScimOperations.Resolve("GET", "Users/" + twiceDecodedByServer, ScimOperations.RawRest("/scim/t/v2/Users/" + twice, "Users/" + twiceDecodedByServer)).Id);
        });
}
