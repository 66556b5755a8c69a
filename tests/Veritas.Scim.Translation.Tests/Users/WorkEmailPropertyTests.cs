using System.Text.Json.Nodes;
using CsCheck;
using Veritas.Scim.Protocol.Patching;
using Veritas.Scim.Protocol.Requests;
using Veritas.Scim.Protocol.Schemas;
using Veritas.Scim.Translation.Aliases;
using Veritas.Scim.Translation.Diagnostics;
using Veritas.Scim.Translation.Users;

namespace Veritas.Scim.Translation.Tests.Users;

/// <summary>
/// Any number of work addresses (RFC 7643 §4.1.2 puts no limit on e-mails of one type; Microsoft's
/// SCIM reference tests create users with two), whichever write sends the e-mails: for generated
/// e-mail lists (types repeated, in any letter case, absent; values marked primary or not), a
/// create, a replace, a PATCH replacing the e-mails and a PATCH adding them to a user with one
/// work address each write; the archive's primary SMTP address is the work address marked
/// primary, else the first work one, else the primary one, else the first; every other work
/// address goes to the store, ASCII-lowered and once, so that a work-address lookup finds it.
/// </summary>
public sealed class WorkEmailPropertyTests : IDisposable
{
    private static readonly ScimTenantContext Tenant = new("contoso", 7, "https://gw.example/scim/contoso/v2", "trace-1");
    private readonly TestMeterFactory _meterFactory = new();

    public void Dispose() => _meterFactory.Dispose();

    private static readonly Gen<(string? Type, bool Primary)> GenEmail =
        Gen.Select(Gen.OneOfConst<string?>("work", "Work", "WORK", "home", "other", null), Gen.Int[0, 3].Select(p => p == 0));

    private static readonly Gen<(string? Type, bool Primary)[]> GenEmails =
        GenEmail.Array[0, 4].Where(emails => emails.Count(e => e.Primary) <= 1);

    [Fact]
    public async Task Every_write_path_keeps_every_work_address_and_the_primary_one_in_the_column()
    {
        var withOthers = 0;
        var writes = 0;
        await GenEmails.SampleAsync(
            async emails =>
            {
                var list = EmailList(emails, "New");
                foreach (var path in Paths)
                {
                    var store = new RecordingArchiveStore();
                    var service = new ScimUserService(store, new UserMapper(EmailAliasOptions.Default), new ProvisioningMetrics(_meterFactory));
                    var existing = await service.CreateAsync(Tenant, Body(EmailList([("work", true)], "old")), TestContext.Current.CancellationToken);

                    var written = await Write(service, path, existing.Id, list);
                    var result = Outcome(path, list);
                    var account = path == WritePath.Create ? store[written] : store[existing.Id];
                    var expectedPrimary = ExpectedPrimary(result);
                    Assert.Equal(expectedPrimary, account.PrimarySmtpAddress);
                    string[] expectedOthers = [.. result.Where(IsWork).Select(e => (string)e["value"]!).Where(v => v != expectedPrimary).Select(v => v.ToLowerInvariant()).Distinct()];
                    Assert.Equal(expectedOthers, store.States[account.VaultEntryId].OtherWorkEmails);
                    withOthers += expectedOthers.Length > 0 ? 1 : 0;
                    writes++;
                }
            },
            iter: 400);

        // Users with other work addresses and without, or the generator proves nothing.
        Assert.True(withOthers > 200 && writes - withOthers > 200, $"with other work addresses {withOthers}, without {writes - withOthers}");
    }

    /// <summary>
    /// The e-mails the user has after the write: the list itself, or for an add the user's one work
    /// address followed by it, no longer primary when the list names a primary (RFC 7643 §2.4).
    /// </summary>
    private static JsonNode[] Outcome(WritePath path, JsonNode[] list)
    {
        if (path != WritePath.PatchAdd)
        {
            return list;
        }

        var old = EmailList([("work", !list.Any(e => (bool?)e["primary"] == true))], "old");
        return [.. old, .. list];
    }

    private enum WritePath
    {
        Create,
        Replace,
        PatchReplace,
        PatchAdd,
    }

    private static readonly WritePath[] Paths = Enum.GetValues<WritePath>();

    private static async Task<string> Write(ScimUserService service, WritePath path, string id, JsonNode[] emails)
    {
        var token = TestContext.Current.CancellationToken;
        var operation = path is WritePath.PatchAdd ? "add" : "replace";
        return path switch
        {
            WritePath.Create => (await service.CreateAsync(Tenant, Body(emails, "other.user"), token)).Id,
            WritePath.Replace => (await service.ReplaceAsync(Tenant, id, Body(emails), null, token)).Id,
            _ => (await service.PatchAsync(Tenant, id, PatchRequest.Parse(new JsonObject
            {
                ["schemas"] = new JsonArray("urn:ietf:params:scim:api:messages:2.0:PatchOp"),
                ["Operations"] = new JsonArray(new JsonObject { ["op"] = operation, ["path"] = "emails", ["value"] = new JsonArray([.. emails.Select(e => e.DeepClone())]) }),
            }), null, token)).Id,
        };
    }

    private static JsonNode[] EmailList(IEnumerable<(string? Type, bool Primary)> emails, string prefix) =>
        [.. emails.Select((e, i) => (JsonNode)new JsonObject { ["value"] = $"{prefix}{i}@contoso.example", ["type"] = e.Type, ["primary"] = e.Primary })];

    private static ResourceBody Body(JsonNode[] emails, string userName = "jdoe") => ResourceBody.Parse(
        new JsonObject
        {
            ["schemas"] = new JsonArray(UserSchemas.CoreSchemaId),
            ["userName"] = userName + "@contoso.example",
            ["emails"] = new JsonArray([.. emails.Select(e => e.DeepClone())]),
        },
        UserSchemas.Resource);

    private static bool IsWork(JsonNode email) => string.Equals((string?)email["type"], "work", StringComparison.OrdinalIgnoreCase);

    private static bool IsPrimary(JsonNode email) => (bool?)email["primary"] == true;

    /// <summary>The mapper's rule, written out again: the work address marked primary, else the first work one, else the primary one, else the first.</summary>
    private static string? ExpectedPrimary(JsonNode[] emails) =>
        (string?)(emails.FirstOrDefault(e => IsWork(e) && IsPrimary(e)) ?? emails.FirstOrDefault(IsWork) ?? emails.FirstOrDefault(IsPrimary) ?? emails.FirstOrDefault())?["value"];
}
