using System.Text;
using System.Text.Json;
using CsCheck;
using Veritas.Scim.Protocol.Messages;
using Veritas.Scim.Protocol.Projection;
using Veritas.Scim.Protocol.Schemas;
using Veritas.Scim.Translation.Aliases;
using Veritas.Scim.Translation.Archive;
using Veritas.Scim.Translation.Users;

namespace Veritas.Scim.Translation.Tests.Users;

/// <summary>
/// <see cref="UserMapper.WriteResource"/> writes what <see cref="UserMapper.ToResource"/> under the
/// default projection serializes to, byte for byte, for generated accounts and user maps: every
/// member the mapper overlays present, absent, null or of the wrong JSON type, in any order, among
/// attributes the map keeps as written, with aliases that match the stored form or do not, in forms
/// a write accepts or would refuse today, and maps that are not JSON. Neither path ever fails.
/// </summary>
public sealed class UserMapperWritingPropertyTests
{
    private const string BaseUrl = "https://gw.example.com/scim/t/v2/";
    private static readonly ScimResourceSchema User = UserSchemas.Resource;
    private static readonly UserMapper Mapper = new(EmailAliasOptions.Default);

    [Fact]
    public void The_written_resource_is_the_projected_tree_serialized()
    {
        AccountGen.Account.Sample(
            account =>
            {
                // Neither path fails on anything stored: an alias form refused today, a map that is not JSON.
                var expected = ScimJson.Serialize(AttributeProjection.ApplyToOwned(UserMapper.ToResource(account, BaseUrl), User, [], []));
                Assert.Equal(expected, Write(account));
            },
            iter: 20_000);
    }

    [Fact]
    public void An_account_without_a_user_map_is_written_as_the_tree()
    {
        var account = new ArchiveAccount(
            "01A", 1, "legacy@example.com", "legacy@example.com", null, null, "Legacy", AccountStatus.Enabled, ProvisioningSource.DirectorySync,
            null, ["alias@example.com"], null, false, 7, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddTicks(1));
        var written = Write(account);
        Assert.Equal(ScimJson.Serialize(UserMapper.ToResource(account, BaseUrl)), written);
        Assert.Contains("\"emailAliases\":\"alias@example.com\"", written, StringComparison.Ordinal);
    }

    private static string Write(ArchiveAccount account)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = ScimJson.WriteOptions.Encoder }))
        {
            UserMapper.WriteResource(writer, account, BaseUrl);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
