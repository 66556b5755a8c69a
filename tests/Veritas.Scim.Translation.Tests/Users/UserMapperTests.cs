using System.Text.Json.Nodes;
using Veritas.Scim.Protocol.Errors;
using Veritas.Scim.Protocol.Resources;
using Veritas.Scim.Protocol.Schemas;
using Veritas.Scim.Translation.Aliases;
using Veritas.Scim.Translation.Archive;
using Veritas.Scim.Translation.Users;

namespace Veritas.Scim.Translation.Tests.Users;

public sealed class UserMapperTests
{
    private const string Veritas = UserSchemas.VeritasSchemaId;
    private readonly UserMapper _mapper = new(EmailAliasOptions.Default);

    private ArchiveAccountState State(string json) => _mapper.ToState(ResourceCanonicalizer.CanonicalizeResource(Json.Object(json), UserSchemas.Resource));

    private static ArchiveAccount Stored(ArchiveAccountState state, long version = 4) => new(
        "00AB", 7, state.UserName, state.PrimarySmtpAddress, state.FirstName, state.LastName, state.DisplayName,
        state.Enabled ? AccountStatus.Enabled : AccountStatus.Disabled, ProvisioningSource.Scim, state.ExternalId,
        state.Aliases, state.ScimAttributesJson, true, version, new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), new DateTimeOffset(2026, 2, 3, 4, 5, 6, TimeSpan.Zero));

    private const string EntraUser = """
        {
          'schemas': ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
          'externalId': 'jyoung',
          'userName': 'Jay.Young@contoso.com',
          'active': 'True',
          'displayName': 'Jay Young',
          'title': 'Archivist',
          'emails': [{ 'primary': true, 'type': 'work', 'value': 'jay.young@contoso.com' }],
          'name': { 'formatted': 'Jay Young', 'familyName': 'Young', 'givenName': 'Jay' },
          'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { 'department': 'Records' },
          'urn:ietf:params:scim:schemas:extension:veritas:2.0:User': { 'emailAliases': 'SMTP:jay.young@contoso.com,smtp:jay@contoso.com,x500:/o=Contoso/cn=jay,SMTP:JAY@contoso.com' }
        }
        """;

    [Fact]
    public void Entra_user_maps_to_the_archive_columns()
    {
        var state = State(EntraUser);

        Assert.Equal("Jay.Young@contoso.com", state.UserName);
        Assert.Equal("jay.young@contoso.com", state.PrimarySmtpAddress);
        Assert.Equal(("Jay", "Young", "Jay Young"), (state.FirstName, state.LastName, state.DisplayName));
        Assert.True(state.Enabled);
        Assert.Equal("jyoung", state.ExternalId);
        Assert.Equal(["jay@contoso.com"], state.Aliases);
    }

    [Fact]
    public void What_a_client_wrote_is_what_it_reads_back()
    {
        var written = ResourceCanonicalizer.CanonicalizeResource(Json.Object(EntraUser), UserSchemas.Resource);

        var read = UserMapper.ToResource(Stored(_mapper.ToState(written)), "https://gw/scim/t/v2");

        foreach (var (name, value) in written)
        {
            if (name is not "schemas")
            {
                Assert.True(JsonNode.DeepEquals(value, read[name]), $"{name}: wrote {value?.ToJsonString()}, read {read[name]?.ToJsonString()}");
            }
        }
    }

    [Fact]
    public void Read_back_carries_id_meta_and_the_schemas_in_use()
    {
        var read = UserMapper.ToResource(Stored(State(EntraUser), version: 42), "https://gw/scim/t/v2/");

        Assert.Equal("00AB", (string?)read["id"]);
        Assert.Equal("W/\"42\"", (string?)read["meta"]!["version"]);
        Assert.Equal("https://gw/scim/t/v2/Users/00AB", (string?)read["meta"]!["location"]);
        Assert.Equal("2026-01-02T03:04:05Z", (string?)read["meta"]!["created"]);
        Assert.Equal("User", (string?)read["meta"]!["resourceType"]);
        Assert.Equal(
            [UserSchemas.CoreSchemaId, UserSchemas.EnterpriseSchemaId, Veritas],
            read["schemas"]!.AsArray().Select(s => (string)s!));
        Assert.Equal(["schemas", "id"], read.Take(2).Select(p => p.Key));
        Assert.Equal("meta", read.Last().Key);
    }

    [Fact]
    public void Columns_win_over_the_stored_copy_when_the_archive_changed_them()
    {
        var account = Stored(State(EntraUser)) with { DisplayName = "J. Young", PrimarySmtpAddress = "jy@contoso.com", Status = AccountStatus.Disabled, Aliases = ["other@contoso.com"] };

        var read = UserMapper.ToResource(account, "https://gw");

        Assert.Equal("J. Young", (string?)read["displayName"]);
        Assert.Equal("jy@contoso.com", (string?)read["emails"]![0]!["value"]);
        Assert.False((bool)read["active"]!);
        Assert.Equal("other@contoso.com", (string?)read[Veritas]!["emailAliases"]);
    }

    [Theory]
    // An entry a rule made since refuses, though the valid ones match the archive.
    [InlineData("'SMTP:jay.young@contoso.com,smtp:jay@contoso.com,smtp:bad@'")]
    // Shapes a write refuses.
    [InlineData("42")]
    [InlineData("{ 'type': 'smtp' }")]
    [InlineData("['jay@contoso.com', 7]")]
    public void A_stored_alias_value_a_write_would_refuse_today_reads_as_the_archives_aliases_and_maps_back_to_them(string storedAliases)
    {
        var state = State(EntraUser);
        var stored = Json.Object(state.ScimAttributesJson!);
        stored[Veritas]!["emailAliases"] = Json.Node(storedAliases);
        var account = Stored(state) with { ScimAttributesJson = stored.ToJsonString() };
        var written = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new System.Text.Json.Utf8JsonWriter(written))
        {
            UserMapper.WriteResource(writer, account, "https://gw");
        }

        var read = UserMapper.ToResource(account, "https://gw");

        Assert.True(JsonNode.DeepEquals(read, JsonNode.Parse(written.WrittenSpan)));
        Assert.Equal("jay@contoso.com", (string?)read[Veritas]!["emailAliases"]);
        // What a PATCH of another attribute writes back from this read: the archive's aliases, no 400.
        Assert.Equal(["jay@contoso.com"], _mapper.ToState(read).Aliases);
    }

    [Fact]
    public void A_pre_existing_account_reads_as_Entra_maps_it()
    {
        var account = new ArchiveAccount("00CD", 7, "legacy@contoso.com", "legacy@contoso.com", "Leg", "Acy", "Leg Acy", AccountStatus.Enabled, ProvisioningSource.DirectorySync, null, ["l1@contoso.com", "l2@contoso.com"], null, false, 1, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

        var read = UserMapper.ToResource(account, "https://gw");

        Assert.True(JsonNode.DeepEquals(Json.Node("[{ 'value': 'legacy@contoso.com', 'type': 'work', 'primary': true }]"), read["emails"]));
        Assert.Equal("l1@contoso.com,l2@contoso.com", (string?)read[Veritas]!["emailAliases"]);
        Assert.False(read.ContainsKey("externalId"));
    }

    [Fact]
    public void A_password_is_never_kept()
    {
        var state = State("{ 'userName': 'x', 'password': 'Secret!123' }");

        Assert.DoesNotContain("Secret", state.ScimAttributesJson, StringComparison.Ordinal);
    }

    /// <summary>
    /// Found by the SCIMMY differential: a work entry without an address, marked primary (what an Add
    /// of emails[type eq "work"].primary creates), was chosen over the address and emptied the column.
    /// </summary>
    [Theory]
    [InlineData("[{ 'type': 'work', 'primary': true }, { 'type': 'work', 'value': 'a@x.com' }]", "a@x.com")]
    [InlineData("[{ 'type': 'work', 'value': 'a@x.com' }, { 'type': 'work', 'primary': true }]", "a@x.com")]
    [InlineData("[{ 'type': 'work', 'primary': true, 'value': '' }, { 'type': 'Work', 'value': 'a@x.com' }]", null)]
    [InlineData("[{ 'type': 'work', 'primary': true }]", null)]
    [InlineData("[{ 'type': 'work' }, { 'type': 'home', 'value': 'h@x.com', 'primary': true }]", null)]
    public void A_work_email_without_an_address_is_never_chosen_over_one_with_an_address(string emails, string? expected)
    {
        var json = "{ 'userName': 'x', 'emails': " + emails + " }";
        if (json.Contains("''", StringComparison.Ordinal))
        {
            Assert.Equal(400, Assert.Throws<ScimException>(() => State(json)).Status);
            return;
        }

        var state = State(json);
        Assert.Equal(expected, state.PrimarySmtpAddress);
        Assert.Empty(state.OtherWorkEmails);

        // The read overlays the column on the entry the write chose, so the address stays where it was.
        var read = UserMapper.ToResource(Stored(state), "https://gw/scim/t/v2");
        Assert.Equal(state.PrimarySmtpAddress, _mapper.ToState(read).PrimarySmtpAddress);
        Assert.Equal(
            Json.Object(json)["emails"]!.AsArray().Count(e => e!["value"] is not null && (string?)e["value"] != string.Empty),
            read["emails"]!.AsArray().Count(e => e!["value"] is not null));
    }

    [Theory]
    [InlineData("{ 'displayName': 'no user name' }", "userName")]
    [InlineData("{ 'userName': '' }", "userName")]
    [InlineData("{ 'userName': 'x', 'emails': [{ 'type': 'work', 'value': 'not an address' }] }", "not an address")]
    [InlineData("{ 'userName': 'x', 'urn:ietf:params:scim:schemas:extension:veritas:2.0:User': { 'emailAliases': 'ok@x.com,bad@,also bad' } }", "bad@")]
    public void Invalid_users_are_400_invalidValue(string json, string named)
    {
        var error = Assert.Throws<ScimException>(() => State(json));

        Assert.Equal(400, error.Status);
        Assert.Equal(ScimErrorType.InvalidValue, error.ScimType);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[{ 'type': 'home', 'value': 'h@x.com' }, { 'type': 'Work', 'value': 'w@x.com' }, { 'type': 'other', 'value': 'o@x.com' }]", "w@x.com")]
    [InlineData("[{ 'type': 'home', 'value': 'h@x.com' }, { 'type': 'other', 'value': 'o@x.com', 'primary': true }]", "o@x.com")]
    [InlineData("[{ 'value': 'u@x.com' }, { 'type': 'home', 'value': 'h@x.com' }]", "u@x.com")]
    public void One_work_address_or_none_is_accepted_and_the_work_then_primary_then_first_is_the_primary_smtp(string emails, string primary)
    {
        var state = State($"{{ 'userName': 'x', 'emails': {emails} }}");

        Assert.Equal(primary, state.PrimarySmtpAddress);
    }

    [Fact]
    public void Values_longer_than_their_column_are_400_not_a_truncation()
    {
        var error = Assert.Throws<ScimException>(() => State($"{{ 'userName': '{new string('u', ArchiveLimits.UserName + 1)}' }}"));

        Assert.Equal(ScimErrorType.InvalidValue, error.ScimType);
        Assert.Contains("longer than 256", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_work_email_the_primary_one_is_the_archive_address()
    {
        var state = State("{ 'userName': 'x', 'emails': [{ 'type': 'home', 'value': 'h@x.com' }, { 'type': 'other', 'value': 'p@x.com', 'primary': 'true' }] }");

        Assert.Equal("p@x.com", state.PrimarySmtpAddress);
    }

    [Fact]
    public void The_entity_tag_is_weak_and_follows_the_version() =>
        Assert.Equal("W/\"9\"", UserMapper.ETagFor(Stored(State("{ 'userName': 'x' }"), version: 9)));
}
