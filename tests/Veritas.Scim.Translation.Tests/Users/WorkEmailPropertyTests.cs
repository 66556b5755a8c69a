using System.Text.Json.Nodes;
using CsCheck;
using Veritas.Scim.Protocol.Errors;
using Veritas.Scim.Protocol.Patching;
using Veritas.Scim.Protocol.Requests;
using Veritas.Scim.Protocol.Schemas;
using Veritas.Scim.Translation.Aliases;
using Veritas.Scim.Translation.Diagnostics;
using Veritas.Scim.Translation.Users;

namespace Veritas.Scim.Translation.Tests.Users;

/// <summary>
/// One work address per account, whichever write asks for the e-mails: for generated e-mail lists
/// (types repeated, in any letter case, absent; values marked primary or not), a create, a replace,
/// a PATCH replacing the e-mails and a PATCH adding them to a user with one work address are each
/// refused with 400 invalidValue and nothing written exactly when the account would hold more than
/// one e-mail typed work; otherwise the write happens and the archive's primary SMTP address is
/// the work address (else the primary one, else the first).
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
    public async Task Every_write_path_refuses_a_second_work_address_and_writes_nothing()
    {
        var refusals = 0;
        var writes = 0;
        await GenEmails.SampleAsync(
            async emails =>
            {
                var list = EmailList(emails, "new");
                foreach (var path in Paths)
                {
                    var store = new RecordingArchiveStore();
                    var service = new ScimUserService(store, new UserMapper(EmailAliasOptions.Default), new ProvisioningMetrics(_meterFactory));
                    var existing = await service.CreateAsync(Tenant, Body(EmailList([("work", true)], "old")), TestContext.Current.CancellationToken);
                    var before = store[existing.Id];
                    store.Calls.Clear();

                    var sent = path == WritePath.PatchAdd ? EmailList([("work", true)], "old").Concat(list.Select(e => e.DeepClone())).ToArray() : list;
                    try
                    {
                        var written = await Write(service, path, existing.Id, list);
                        Assert.True(WorkCount(sent) <= 1, $"{path} accepted {Describe(sent)}");
                        var account = path == WritePath.Create ? store[written] : store[existing.Id];
                        Assert.Equal(ExpectedPrimary(sent), account.PrimarySmtpAddress);
                        writes++;
                    }
                    catch (ScimException error)
                    {
                        Assert.True(WorkCount(sent) > 1, $"{path} refused {Describe(sent)}: {error.Message}");
                        Assert.Equal((400, ScimErrorType.InvalidValue), (error.Status, error.ScimType));
                        Assert.Equal(0, store.Writes);
                        Assert.Equal(before, store[existing.Id]);
                        refusals++;
                    }
                }
            },
            iter: 400);

        // Both outcomes, on every path, or the generator proves nothing.
        Assert.True(refusals > 200 && writes > 200, $"refusals {refusals}, writes {writes}");
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

    private static int WorkCount(IEnumerable<JsonNode> emails) => emails.Count(IsWork);

    /// <summary>The mapper's rule, written out again: the work address, else the primary one, else the first.</summary>
    private static string? ExpectedPrimary(JsonNode[] emails) =>
        (string?)(emails.FirstOrDefault(IsWork) ?? emails.FirstOrDefault(e => (bool?)e["primary"] == true) ?? emails.FirstOrDefault())?["value"];

    private static string Describe(IEnumerable<JsonNode> emails) => new JsonArray([.. emails.Select(e => e.DeepClone())]).ToJsonString();
}
