using System.Diagnostics;
using System.Net;
using Microsoft.Data.Sqlite;
using Veritas.Scim.Translation.Diagnostics;

namespace Veritas.Scim.Gateway.Tests.Diagnostics;

/// <summary>A create, a conflict and a disable each leave the spans, tags and metric points operators rely on.</summary>
[Collection(TelemetryTestGroup.Name)]
public sealed class ScimTelemetryTests
{
    private static async Task<string> CreatedIdAsync(TelemetryGateway gateway, string user)
    {
        var (created, _) = await gateway.SendAsync(HttpMethod.Post, "Users", user);
        using var body = System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return body.RootElement.GetProperty("id").GetString()!;
    }

    private static Task<(HttpResponseMessage Response, ActivityTraceId TraceId)> PatchAsync(TelemetryGateway gateway, string id, string operations) =>
        gateway.SendAsync(HttpMethod.Patch, "Users/" + id, """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":""" + operations + "}");

    private static string NewUser(string userName, string? aliases = null) => $$"""
        {
          "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
          "userName": "{{userName}}",
          "active": true,
          "displayName": "Telemetry Test",
          "emails": [{ "type": "work", "primary": true, "value": "{{userName}}" }]
          {{(aliases is null ? string.Empty : $$""", "urn:ietf:params:scim:schemas:extension:veritas:2.0:User": { "emailAliases": "{{aliases}}" }""")}}
        }
        """;

    [Fact]
    public async Task A_create_is_one_operation_span_with_translation_alias_sync_and_store_spans_and_counts_as_created()
    {
        await using var gateway = await TelemetryGateway.StartAsync(TestContext.Current.CancellationToken);

        var (response, traceId) = await gateway.SendAsync(HttpMethod.Post, "Users", NewUser("t.create@demo.example.com", "smtp:t.one@demo.example.com,SMTP:t.two@demo.example.com"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var spans = gateway.SpansOf(traceId);
        var server = Assert.Single(spans, s => s.Kind == ActivityKind.Server);
        var operation = Assert.Single(spans, s => s.DisplayName == "scim User.create");
        Assert.Equal(server.SpanId, operation.ParentSpanId);
        Assert.Equal("demo", operation.GetTagItem(ScimTelemetry.TenantTag));
        Assert.Equal("User.create", operation.GetTagItem(ScimTelemetry.OperationTag));
        Assert.Equal("User", operation.GetTagItem(ScimTelemetry.ResourceTypeTag));
        Assert.Equal(201, operation.GetTagItem(ScimTelemetry.StatusCodeTag));
        Assert.Null(operation.GetTagItem(ScimTelemetry.ScimTypeTag));

        var translation = Assert.Single(spans, s => s.DisplayName == ScimTelemetry.TranslationSpanName);
        Assert.Equal(operation.SpanId, translation.ParentSpanId);
        var aliasSync = Assert.Single(spans, s => s.DisplayName == ScimTelemetry.AliasSyncSpanName);
        Assert.Equal(operation.SpanId, aliasSync.ParentSpanId);
        Assert.Equal(2, aliasSync.GetTagItem(ScimTelemetry.AliasesAddedTag));
        Assert.Equal(0, aliasSync.GetTagItem(ScimTelemetry.AliasesReleasedTag));
        Assert.Equal(0, aliasSync.GetTagItem(ScimTelemetry.AliasConflictsTag));

        // One round trip for the operation (the other store span is the token lookup of the
        // authentication, before the operation), inside the alias sync, with database tags only.
        var store = Assert.Single(spans, s => s.Source.Name == "Veritas.Scim.Archive" && s.StartTimeUtc >= operation.StartTimeUtc);
        Assert.Equal(aliasSync.SpanId, store.ParentSpanId);
        Assert.Equal(ActivityKind.Client, store.Kind);
        Assert.Equal("sqlite", store.GetTagItem("db.system.name"));
        Assert.Equal("create_account", store.GetTagItem("db.operation.name"));
        Assert.All(store.TagObjects, tag => Assert.StartsWith("db.", tag.Key, StringComparison.Ordinal));

        Assert.Contains(gateway.Points(ScimTelemetry.RequestsInstrument), p =>
            Equals(p.Tags[ScimTelemetry.OperationTag], "User.create") && Equals(p.Tags[ScimTelemetry.StatusCodeTag], 201) && p.Value == 1);
        Assert.Contains(gateway.Points(ScimTelemetry.OperationDurationInstrument), p => Equals(p.Tags[ScimTelemetry.OperationTag], "User.create"));
        Assert.Equal(1, Assert.Single(gateway.Points(ScimTelemetry.ProvisioningInstrument), p => Equals(p.Tags[ScimTelemetry.OutcomeTag], "created")).Value);
        Assert.Equal(2, Assert.Single(gateway.Points(ScimTelemetry.AliasChangesInstrument), p => Equals(p.Tags[ScimTelemetry.AliasChangeTag], "added")).Value);
        Assert.Contains(gateway.Points(ScimTelemetry.StoreDurationInstrument), p =>
            Equals(p.Tags[ScimTelemetry.DbSystemTag], "sqlite") && Equals(p.Tags[ScimTelemetry.DbOperationTag], "create_account") && p.Value >= 1);
    }

    [Fact]
    public async Task The_incoming_trace_id_is_the_audit_rows_correlation_id()
    {
        await using var gateway = await TelemetryGateway.StartAsync(TestContext.Current.CancellationToken);

        var (response, traceId) = await gateway.SendAsync(HttpMethod.Post, "Users", NewUser("t.audit@demo.example.com"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("demo", await gateway.AuditTenantOfAsync(traceId));
    }

    [Fact]
    public async Task A_duplicate_user_name_and_a_taken_alias_are_409_uniqueness_on_the_span_and_in_the_metrics()
    {
        await using var gateway = await TelemetryGateway.StartAsync(TestContext.Current.CancellationToken);
        var (first, _) = await gateway.SendAsync(HttpMethod.Post, "Users", NewUser("t.first@demo.example.com", "t.shared@demo.example.com"));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);

        var (duplicate, duplicateTrace) = await gateway.SendAsync(HttpMethod.Post, "Users", NewUser("t.first@demo.example.com"));
        var (aliasTaken, aliasTrace) = await gateway.SendAsync(HttpMethod.Post, "Users", NewUser("t.second@demo.example.com", "t.shared@demo.example.com"));

        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, aliasTaken.StatusCode);
        var duplicateSpan = Assert.Single(gateway.SpansOf(duplicateTrace), s => s.DisplayName == "scim User.create");
        Assert.Equal(409, duplicateSpan.GetTagItem(ScimTelemetry.StatusCodeTag));
        Assert.Equal("uniqueness", duplicateSpan.GetTagItem(ScimTelemetry.ScimTypeTag));
        Assert.Equal("409", duplicateSpan.GetTagItem("error.type"));
        var storeSpan = Assert.Single(gateway.SpansOf(duplicateTrace), s => s.Source.Name == "Veritas.Scim.Archive" && Equals(s.GetTagItem("db.operation.name"), "create_account"));
        Assert.Equal(ActivityStatusCode.Error, storeSpan.Status);

        var aliasSync = Assert.Single(gateway.SpansOf(aliasTrace), s => s.DisplayName == ScimTelemetry.AliasSyncSpanName);
        Assert.Equal(1, aliasSync.GetTagItem(ScimTelemetry.AliasConflictsTag));
        Assert.Equal(ActivityStatusCode.Error, aliasSync.Status);

        Assert.Contains(gateway.Points(ScimTelemetry.RequestsInstrument), p =>
            Equals(p.Tags[ScimTelemetry.OperationTag], "User.create") && Equals(p.Tags[ScimTelemetry.StatusCodeTag], 409)
            && Equals(p.Tags[ScimTelemetry.ScimTypeTag], "uniqueness") && p.Value == 2);
        Assert.Equal(1, Assert.Single(gateway.Points(ScimTelemetry.AliasConflictsInstrument)).Value);
        Assert.Equal(1, Assert.Single(gateway.Points(ScimTelemetry.ProvisioningInstrument)).Value);
        Assert.Contains(gateway.Logs, log => log.EventId == 1101 && log.Message!.Contains("409", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_patch_of_the_aliases_is_an_alias_sync_span_of_the_request_with_the_counts()
    {
        await using var gateway = await TelemetryGateway.StartAsync(TestContext.Current.CancellationToken);
        var id = await CreatedIdAsync(gateway, NewUser("a.mover@demo.example.com"));
        var addedBefore = gateway.Points(ScimTelemetry.AliasChangesInstrument).Where(p => Equals(p.Tags[ScimTelemetry.AliasChangeTag], "added")).Sum(p => p.Value);

        var (response, traceId) = await PatchAsync(gateway, id, """[{"op":"Replace","path":"urn:ietf:params:scim:schemas:extension:veritas:2.0:User:emailAliases","value":"smtp:mover.one@demo.example.com,smtp:mover.two@demo.example.com,smtp:mover.three@demo.example.com"}]""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var spans = gateway.SpansOf(traceId);
        var operation = Assert.Single(spans, s => s.DisplayName == "scim User.patch");
        var aliasSync = Assert.Single(spans, s => s.DisplayName == ScimTelemetry.AliasSyncSpanName);
        Assert.Equal(operation.SpanId, aliasSync.ParentSpanId);
        Assert.Equal(3, aliasSync.GetTagItem(ScimTelemetry.AliasesAddedTag));
        Assert.Equal(ActivityStatusCode.Unset, aliasSync.Status);
        // The span covers the store's round trip, which it could only count once the change was computed.
        var store = Assert.Single(spans, s => Equals(s.GetTagItem("db.operation.name"), "change_account"));
        Assert.True(aliasSync.StartTimeUtc <= store.StartTimeUtc && aliasSync.StartTimeUtc + aliasSync.Duration >= store.StartTimeUtc + store.Duration);
        Assert.Equal(addedBefore + 3, gateway.Points(ScimTelemetry.AliasChangesInstrument).Where(p => Equals(p.Tags[ScimTelemetry.AliasChangeTag], "added")).Sum(p => p.Value));
    }

    [Fact]
    public async Task A_patch_that_takes_another_users_alias_is_a_conflict_of_its_alias_sync_span()
    {
        await using var gateway = await TelemetryGateway.StartAsync(TestContext.Current.CancellationToken);
        await gateway.SendAsync(HttpMethod.Post, "Users", NewUser("a.holder@demo.example.com", "smtp:held@demo.example.com"));
        var id = await CreatedIdAsync(gateway, NewUser("a.taker@demo.example.com"));

        var (response, traceId) = await PatchAsync(gateway, id, """[{"op":"Add","path":"urn:ietf:params:scim:schemas:extension:veritas:2.0:User:emailAliases","value":"smtp:held@demo.example.com"}]""");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("held@demo.example.com", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        var aliasSync = Assert.Single(gateway.SpansOf(traceId), s => s.DisplayName == ScimTelemetry.AliasSyncSpanName);
        Assert.Equal(1, aliasSync.GetTagItem(ScimTelemetry.AliasConflictsTag));
        Assert.Equal(ActivityStatusCode.Error, aliasSync.Status);
        Assert.Equal(1, Assert.Single(gateway.Points(ScimTelemetry.AliasConflictsInstrument)).Value);
    }

    [Fact]
    public async Task A_patch_of_active_False_is_a_patch_span_and_counts_as_disabled()
    {
        await using var gateway = await TelemetryGateway.StartAsync(TestContext.Current.CancellationToken);
        var id = await CreatedIdAsync(gateway, NewUser("t.leaver@demo.example.com"));

        var (response, traceId) = await PatchAsync(gateway, id, """[{"op":"Replace","path":"active","value":"False"}]""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var spans = gateway.SpansOf(traceId);
        var operation = Assert.Single(spans, s => s.DisplayName == "scim User.patch");
        Assert.Equal("User.patch", operation.GetTagItem(ScimTelemetry.OperationTag));
        Assert.Equal(200, operation.GetTagItem(ScimTelemetry.StatusCodeTag));
        // The patch is applied on the store's writer thread, and its span stays in the request's trace.
        var translation = Assert.Single(spans, s => s.DisplayName == ScimTelemetry.TranslationSpanName);
        Assert.Equal(operation.SpanId, translation.ParentSpanId);
        Assert.DoesNotContain(spans, s => s.DisplayName == ScimTelemetry.AliasSyncSpanName);
        // One round trip: the read, the patch and the write are one request of the writer.
        Assert.Equal(
            ["change_account"],
            spans.Where(s => s.Source.Name == "Veritas.Scim.Archive" && s.StartTimeUtc >= operation.StartTimeUtc).OrderBy(s => s.StartTimeUtc).Select(s => (string)s.GetTagItem("db.operation.name")!));

        var outcomes = gateway.Points(ScimTelemetry.ProvisioningInstrument);
        Assert.Equal(1, Assert.Single(outcomes, p => Equals(p.Tags[ScimTelemetry.OutcomeTag], "disabled")).Value);
        Assert.DoesNotContain(outcomes, p => Equals(p.Tags[ScimTelemetry.OutcomeTag], "updated"));
        Assert.Contains(gateway.Points(ScimTelemetry.RequestsInstrument), p => Equals(p.Tags[ScimTelemetry.OperationTag], "User.patch") && Equals(p.Tags[ScimTelemetry.StatusCodeTag], 200));
    }

    [Fact]
    public async Task The_first_scim_write_to_a_pre_existing_account_counts_as_adopted_as_well_as_updated()
    {
        await using var gateway = await TelemetryGateway.StartAsync(TestContext.Current.CancellationToken);
        var (found, _) = await gateway.SendAsync(HttpMethod.Get, "Users?filter=" + Uri.EscapeDataString("userName eq \"dave.davis@demo.example.com\""));
        var id = System.Text.Json.JsonDocument.Parse(await found.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.GetProperty("Resources")[0].GetProperty("id").GetString();
        const string Rename = """{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"displayName","value":"Dave D."}]}""";

        var (first, _) = await gateway.SendAsync(HttpMethod.Patch, "Users/" + id, Rename);
        var (second, _) = await gateway.SendAsync(HttpMethod.Patch, "Users/" + id, Rename.Replace("Dave D.", "Dave Davis", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var outcomes = gateway.Points(ScimTelemetry.ProvisioningInstrument);
        Assert.Equal(1, Assert.Single(outcomes, p => Equals(p.Tags[ScimTelemetry.OutcomeTag], "adopted")).Value);
        Assert.Equal(2, Assert.Single(outcomes, p => Equals(p.Tags[ScimTelemetry.OutcomeTag], "updated")).Value);
    }

    [Fact]
    public async Task Health_and_readiness_endpoints_answer_and_readiness_fails_without_the_schema()
    {
        await using var gateway = await TelemetryGateway.StartAsync(TestContext.Current.CancellationToken);
        var token = TestContext.Current.CancellationToken;

        Assert.Equal(HttpStatusCode.OK, (await gateway.Client.GetAsync(new Uri("healthz", UriKind.Relative), token)).StatusCode);
        var ready = await gateway.Client.GetAsync(new Uri("readyz", UriKind.Relative), token);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync(token));

        await RunSqlAsync(gateway, "ALTER TABLE ArchiveAccount RENAME TO ArchiveAccountMoved;");
        var notReady = await gateway.Client.GetAsync(new Uri("readyz", UriKind.Relative), token);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
        await RunSqlAsync(gateway, "ALTER TABLE ArchiveAccountMoved RENAME TO ArchiveAccount;");
        Assert.Equal(HttpStatusCode.OK, (await gateway.Client.GetAsync(new Uri("readyz", UriKind.Relative), token)).StatusCode);
    }

    private static async Task RunSqlAsync(TelemetryGateway gateway, string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = gateway.DatabasePath, Pooling = false }.ToString());
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
