using Veritas.Scim.Protocol.Errors;
using Veritas.Scim.Protocol.Patching;
using Veritas.Scim.Protocol.Querying;
using Veritas.Scim.Protocol.Requests;
using Veritas.Scim.Protocol.Schemas;
using Veritas.Scim.Translation.Aliases;
using Veritas.Scim.Translation.Archive;
using Veritas.Scim.Translation.Diagnostics;
using Veritas.Scim.Translation.Users;

namespace Veritas.Scim.Translation.Tests.Users;

public sealed class ScimUserServiceTests : IDisposable
{
    private static readonly ScimTenantContext Tenant = new("contoso", 7, "https://gw.example/scim/contoso/v2", "trace-1");
    private readonly RecordingArchiveStore _store = new();
    private readonly TestMeterFactory _meterFactory = new();
    private readonly ScimUserService _service;

    public ScimUserServiceTests() => _service = new ScimUserService(_store, new UserMapper(EmailAliasOptions.Default), new ProvisioningMetrics(_meterFactory));

    public void Dispose() => _meterFactory.Dispose();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private const string DisablePatch = "{ 'schemas': ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], 'Operations': [{ 'op': 'Replace', 'path': 'active', 'value': 'False' }] }";

    private static ResourceBody User(string json) => ResourceBody.Parse(Json.Object(json), UserSchemas.Resource);

    private static PatchRequest Patch(string json) => PatchRequest.Parse(Json.Object(json));

    [Fact]
    public async Task A_patch_that_changes_nothing_writes_nothing()
    {
        var created = await _service.CreateAsync(Tenant, User("{ 'userName': 'jdoe', 'active': false }"), Token);
        _store.Calls.Clear();

        var result = await _service.PatchAsync(Tenant, created.Id, Patch(DisablePatch), null, Token);

        Assert.Equal(["get"], _store.Calls);
        Assert.Equal(created.ETag, result.ETag);
    }

    [Fact]
    public async Task A_patch_is_one_read_and_one_write()
    {
        var created = await _service.CreateAsync(Tenant, User("{ 'userName': 'jdoe' }"), Token);
        _store.Calls.Clear();

        var result = await _service.PatchAsync(Tenant, created.Id, Patch(DisablePatch), null, Token);

        Assert.Equal(["get", "update"], _store.Calls);
        Assert.False((bool)result.Resource.Tree["active"]!);
        Assert.Equal(AccountStatus.Disabled, _store[created.Id].Status);
    }

    [Fact]
    public async Task A_concurrent_change_between_read_and_write_is_retried_from_the_new_state()
    {
        var created = await _service.CreateAsync(Tenant, User("{ 'userName': 'jdoe' }"), Token);
        var raced = false;
        _store.BeforeUpdate = () =>
        {
            if (!raced)
            {
                raced = true;
                _store.Bump(created.Id);
            }
        };
        _store.Calls.Clear();

        await _service.PatchAsync(Tenant, created.Id, Patch(DisablePatch), null, Token);

        Assert.Equal(["get", "update", "get", "update"], _store.Calls);
        Assert.Equal(AccountStatus.Disabled, _store[created.Id].Status);
    }

    [Fact]
    public async Task Retries_are_bounded_and_running_out_is_a_409_conflict()
    {
        var created = await _service.CreateAsync(Tenant, User("{ 'userName': 'jdoe' }"), Token);
        _store.BeforeUpdate = () => _store.Bump(created.Id);

        var error = await Assert.ThrowsAsync<ScimException>(() => _service.PatchAsync(Tenant, created.Id, Patch(DisablePatch), null, Token));

        Assert.Equal(409, error.Status);
        Assert.Equal(OptimisticAccountChange.MaxAttempts, _store.Calls.Count(c => c == "update"));
    }

    [Fact]
    public async Task A_concurrent_change_after_a_matching_If_Match_is_412_once_the_version_read_again_no_longer_matches()
    {
        var created = await _service.CreateAsync(Tenant, User("{ 'userName': 'jdoe' }"), Token);
        _store.BeforeUpdate = () => _store.Bump(created.Id);

        var error = await Assert.ThrowsAsync<ScimException>(() => _service.PatchAsync(Tenant, created.Id, Patch(DisablePatch), EntityPreconditions.IfMatching(created.ETag), Token));

        Assert.Equal(412, error.Status);
        // The second read found the version moved; the precondition refused it before a second update.
        Assert.Equal(1, _store.Calls.Count(c => c == "update"));
        Assert.Equal(2, _store.Calls.Count(c => c == "get"));
    }

    [Fact]
    public async Task If_Match_with_a_stale_version_is_412_and_writes_nothing()
    {
        var created = await _service.CreateAsync(Tenant, User("{ 'userName': 'jdoe' }"), Token);
        _store.Calls.Clear();

        var error = await Assert.ThrowsAsync<ScimException>(() => _service.PatchAsync(Tenant, created.Id, Patch(DisablePatch), EntityPreconditions.IfMatching("W/\"999\""), Token));

        Assert.Equal(412, error.Status);
        Assert.Equal(0, _store.Writes);
    }

    [Fact]
    public async Task If_Match_with_the_current_version_writes()
    {
        var created = await _service.CreateAsync(Tenant, User("{ 'userName': 'jdoe' }"), Token);

        var result = await _service.PatchAsync(Tenant, created.Id, Patch(DisablePatch), EntityPreconditions.IfMatching(created.ETag), Token);

        Assert.NotEqual(created.ETag, result.ETag);
    }

    [Fact]
    public async Task An_alias_conflict_leaves_as_the_store_outcome_naming_the_address_for_the_host_to_map()
    {
        _store.NextWriteFailures.Enqueue(new ArchiveStoreException(ArchiveStoreError.AliasTaken, "taken", "shared@contoso.com"));

        var error = await Assert.ThrowsAsync<ArchiveStoreException>(() => _service.CreateAsync(Tenant, User("{ 'userName': 'jdoe' }"), Token));

        Assert.Equal(ArchiveStoreError.AliasTaken, error.Error);
        Assert.Equal("shared@contoso.com", error.Address);
    }

    [Fact]
    public async Task A_taken_userName_leaves_as_the_store_outcome()
    {
        _store.NextWriteFailures.Enqueue(new ArchiveStoreException(ArchiveStoreError.UserNameTaken, "taken"));

        var error = await Assert.ThrowsAsync<ArchiveStoreException>(() => _service.CreateAsync(Tenant, User("{ 'userName': 'jdoe' }"), Token));

        Assert.Equal(ArchiveStoreError.UserNameTaken, error.Error);
    }

    [Fact]
    public async Task Unknown_ids_are_the_stores_NotFound_for_every_operation()
    {
        Assert.Equal(ArchiveStoreError.NotFound, (await Assert.ThrowsAsync<ArchiveStoreException>(() => _service.GetAsync(Tenant, "nope", Token))).Error);
        Assert.Equal(ArchiveStoreError.NotFound, (await Assert.ThrowsAsync<ArchiveStoreException>(() => _service.PatchAsync(Tenant, "nope", Patch(DisablePatch), null, Token))).Error);
        Assert.Equal(ArchiveStoreError.NotFound, (await Assert.ThrowsAsync<ArchiveStoreException>(() => _service.ReplaceAsync(Tenant, "nope", User("{ 'userName': 'x' }"), null, Token))).Error);
        Assert.Equal(ArchiveStoreError.NotFound, (await Assert.ThrowsAsync<ArchiveStoreException>(() => _service.DeleteAsync(Tenant, "nope", null, Token))).Error);
    }

    [Fact]
    public async Task Entra_userName_query_is_one_indexed_lookup()
    {
        _store.Seed("Alice@Contoso.com", "alice@contoso.com");
        _store.Calls.Clear();

        var page = await _service.QueryAsync(Tenant, Query("userName eq \"alice@contoso.com\""), Token);

        Assert.Equal(["findByUserName"], _store.Calls);
        Assert.Equal(1, page.TotalResults);
    }

    [Fact]
    public async Task Test_Connection_query_for_a_random_user_is_an_empty_page()
    {
        var page = await _service.QueryAsync(Tenant, Query($"userName eq \"{Guid.NewGuid()}\""), Token);

        Assert.Equal(0, page.TotalResults);
        Assert.Empty(page.Resources);
    }

    [Fact]
    public async Task Work_email_filter_is_one_indexed_lookup_checked_in_full()
    {
        _store.Seed("a", "a@contoso.com");
        _store.Calls.Clear();

        var page = await _service.QueryAsync(Tenant, Query("emails[type eq \"work\"].value eq \"A@contoso.com\""), Token);

        Assert.Equal(["findByPrimarySmtpAddress"], _store.Calls);
        Assert.Equal(1, page.TotalResults);
    }

    [Fact]
    public async Task Other_filters_are_one_store_query_for_sorted_candidates_the_evaluator_pages()
    {
        await _service.QueryAsync(Tenant, ScimQuery.FromParameters(
            p => p switch { "filter" => "displayName sw \"A\"", "sortBy" => "name.familyName", "sortOrder" => "descending", "startIndex" => "3", "count" => "5", _ => null },
            UserSchemas.Resource), Token);

        Assert.Equal(["query"], _store.Calls);
        Assert.Equal(new AccountQuery(
            new AccountComparisonPredicate(AccountField.DisplayName, AccountComparison.StartsWith, "A"),
            AccountField.LastName,
            SortDescending: true,
            StartIndex: 1,
            Count: new UserFilterOptions().MaxCandidates + 1), _store.LastQuery);
    }

    [Fact]
    public async Task Delete_without_If_Match_is_one_store_call()
    {
        var created = await _service.CreateAsync(Tenant, User("{ 'userName': 'jdoe' }"), Token);
        _store.Calls.Clear();

        await _service.DeleteAsync(Tenant, created.Id, null, Token);

        Assert.Equal(["delete"], _store.Calls);
    }

    private static ScimQuery Query(string filter) => ScimQuery.FromParameters(p => p == "filter" ? filter : null, UserSchemas.Resource);
}
