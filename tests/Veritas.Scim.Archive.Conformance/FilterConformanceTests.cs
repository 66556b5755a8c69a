using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json;
using CsCheck;
using Veritas.Scim.Protocol.Errors;
using Veritas.Scim.Protocol.Filtering;
using Veritas.Scim.Protocol.Querying;
using Veritas.Scim.Protocol.Requests;
using Veritas.Scim.Protocol.Schemas;
using Veritas.Scim.Translation.Aliases;
using Veritas.Scim.Translation.Archive;
using Veritas.Scim.Translation.Diagnostics;
using Veritas.Scim.Translation.Users;

namespace Veritas.Scim.Archive.Conformance;

/// <summary>
/// One filter meaning, whatever path answers it (DESIGN.md §6): users generated with every
/// attribute the gateway returns (letter case, aliases, several e-mails, active, timestamps) are
/// written through the translation layer into the store under test; filters generated from the
/// whole grammar are then answered (a) by the store for what the planner pushes down, which must
/// hold every user the evaluator matches (all of them and no more when the push-down is exact),
/// and (b) by the translation layer's whole query path with sortBy and paging, which must be the
/// evaluator's answer over the same users: the same 400, or the same total and the same page.
/// </summary>
public abstract class FilterConformanceTests(IArchiveStoreFixture fixture)
{
    private const int Iterations = 1500;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_query_path_answers_a_filter_as_the_evaluator_does()
    {
        if (fixture.SkipReason is { } reason)
        {
            Assert.Skip(reason);
        }

        var world = await FilterWorld.CreateAsync(fixture, FilterWorld.GenUsers.Single(), Token);
        var outcomes = new FilterOutcomes();

        await FilterCases.Gen(world).SampleAsync(
            async query => outcomes.Add(await world.AssertAgreesAsync(query, Token)),
            iter: Iterations,
            threads: 1,
            print: query => query.ToString());

        // The generator must reach every path, and answers of every kind: else it proves nothing.
        Assert.True(outcomes.Errors > Iterations / 50, outcomes.ToString());
        Assert.True(outcomes.NonEmpty > Iterations / 5, outcomes.ToString());
        Assert.True(outcomes.Indexed > Iterations / 100, outcomes.ToString());
        Assert.True(outcomes.Exact > Iterations / 20, outcomes.ToString());
        Assert.True(outcomes.Narrowed > Iterations / 20, outcomes.ToString());
        Assert.True(outcomes.Unnarrowed > Iterations / 20, outcomes.ToString());
    }

    [Theory]
    [InlineData("externalId eq \"extcase1\"", 0)]
    [InlineData("externalId eq \"ExtCase1\"", 1)]
    [InlineData("externalId ne \"extcase1\"", 3)]
    [InlineData("id eq \"{lower-id}\"", 0)]
    [InlineData("id eq \"{id}\"", 1)]
    [InlineData("emailAliases eq \"SECOND.ALIAS@EXAMPLE.ORG\"", 1)]
    [InlineData("userName eq \"Ann.Employee@example.com\" and emailAliases eq \"second.alias@example.org\"", 1)]
    [InlineData("emailAliases eq \"smtp:second.alias@example.org\"", 0)]
    [InlineData("emails.value eq \"ann.home@example.org\"", 1)]
    [InlineData("name.familyName eq \"Employee\" and (emails.value co \"example.com\" or emails.value co \"example.org\")", 2)]
    [InlineData("name.familyName eq \"Employee\" and emails.value co \"example.org\"", 1)]
    public async Task The_issue_examples_answer_the_same_on_every_path(string filter, int expected)
    {
        if (fixture.SkipReason is { } reason)
        {
            Assert.Skip(reason);
        }

        var customerId = await fixture.CreateCustomerAsync("filter-examples-" + Guid.NewGuid().ToString("N"), Token);
        var (service, tenant) = FilterWorld.Service(fixture, customerId);
        var ann = await service.CreateAsync(tenant, Body("""
            { "userName": "Ann.Employee@example.com", "externalId": "ExtCase1", "name": { "familyName": "Employee" },
              "emails": [ { "value": "ann.work@example.com", "type": "work" }, { "value": "ann.home@example.org", "type": "home" } ],
              "urn:ietf:params:scim:schemas:extension:veritas:2.0:User": { "emailAliases": "SMTP:ann.work@example.com,smtp:first.alias@example.com,smtp:Second.Alias@example.org,x500:/o=Demo/cn=ann" } }
            """), Token);
        await service.CreateAsync(tenant, Body("""
            { "userName": "bob@example.com", "externalId": "other", "name": { "familyName": "EMPLOYEE" },
              "emails": [ { "value": "bob@example.com", "type": "work" } ] }
            """), Token);
        await service.CreateAsync(tenant, Body("""{ "userName": "cy@example.net", "name": { "familyName": "Contractor" } }"""), Token);

        var text = filter.Replace("{lower-id}", ann.Id.ToLowerInvariant(), StringComparison.Ordinal).Replace("{id}", ann.Id, StringComparison.Ordinal);
        var page = await service.QueryAsync(tenant, ScimQuery.FromParameters(p => p == "filter" ? text : null, UserSchemas.Resource), Token);

        Assert.Equal(expected, page.TotalResults);
    }

    [Theory]
    [InlineData("meta.lastModified lt \"T\"")]
    [InlineData("meta.lastModified gt true")]
    [InlineData("active eq \"yes\"")]
    [InlineData("userName eq \"nobody\" and active eq \"yes\"")]
    [InlineData("externalId eq \"nobody\" or meta.created ge 12")]
    public async Task Ill_typed_filters_are_invalidFilter_on_every_path(string filter)
    {
        if (fixture.SkipReason is { } reason)
        {
            Assert.Skip(reason);
        }

        var customerId = await fixture.CreateCustomerAsync("filter-types-" + Guid.NewGuid().ToString("N"), Token);
        var (service, tenant) = FilterWorld.Service(fixture, customerId);

        var error = await Assert.ThrowsAsync<ScimException>(() => service.QueryAsync(tenant, ScimQuery.FromParameters(p => p == "filter" ? filter : null, UserSchemas.Resource), Token));

        Assert.Equal(400, error.Status);
        Assert.Equal(ScimErrorType.InvalidFilter, error.ScimType);
    }

    [Fact]
    public async Task More_candidates_than_the_bound_is_tooMany_naming_the_indexed_attributes()
    {
        if (fixture.SkipReason is { } reason)
        {
            Assert.Skip(reason);
        }

        var customerId = await fixture.CreateCustomerAsync("filter-bound-" + Guid.NewGuid().ToString("N"), Token);
        var (service, tenant) = FilterWorld.Service(fixture, customerId, new UserFilterOptions { MaxCandidates = 2 });
        foreach (var name in new[] { "a", "b", "c" })
        {
            await service.CreateAsync(tenant, Body($$"""{ "userName": "{{name}}@example.com", "title": "Archivist" }"""), Token);
        }

        var query = (string filter) => ScimQuery.FromParameters(p => p == "filter" ? filter : null, UserSchemas.Resource);
        var error = await Assert.ThrowsAsync<ScimException>(() => service.QueryAsync(tenant, query("title eq \"Archivist\""), Token));

        Assert.Equal(400, error.Status);
        Assert.Equal(ScimErrorType.TooMany, error.ScimType);
        Assert.Contains("userName eq", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await service.QueryAsync(tenant, query("userName sw \"a\" and title eq \"Archivist\""), Token)).TotalResults);
        Assert.Equal(3, (await service.QueryAsync(tenant, query("active eq true"), Token)).TotalResults);
    }

    private static ResourceBody Body(string json) => ResourceBody.Parse((JsonObject)JsonNode.Parse(json)!, UserSchemas.Resource);
}

/// <summary>How often each path and each kind of answer came up.</summary>
internal sealed class FilterOutcomes
{
    public int Errors { get; private set; }

    public int NonEmpty { get; private set; }

    public int Indexed { get; private set; }

    public int Exact { get; private set; }

    public int Narrowed { get; private set; }

    public int Unnarrowed { get; private set; }

    public void Add(FilterOutcome outcome)
    {
        Errors += outcome.Error ? 1 : 0;
        NonEmpty += outcome.Matches > 0 ? 1 : 0;
        Indexed += outcome.Path == "indexed" ? 1 : 0;
        Exact += outcome.Path == "exact" ? 1 : 0;
        Narrowed += outcome.Path == "narrowed" ? 1 : 0;
        Unnarrowed += outcome.Path == "unnarrowed" ? 1 : 0;
    }

    public override string ToString() =>
        $"errors {Errors}, non-empty {NonEmpty}, indexed {Indexed}, exact {Exact}, narrowed {Narrowed}, unnarrowed {Unnarrowed}";
}

internal sealed record FilterOutcome(string Path, bool Error, int Matches);

/// <summary>A generated query: the filter text, sortBy, sortOrder and paging.</summary>
internal sealed record FilterQuery(string Filter, string? SortBy, bool Descending, int? StartIndex, int? Count)
{
    public ScimQuery ToScimQuery() => ScimQuery.FromParameters(
        name => name switch
        {
            "filter" => Filter,
            "sortBy" => SortBy,
            "sortOrder" => SortBy is null ? null : Descending ? "descending" : "ascending",
            "startIndex" => StartIndex?.ToString(CultureInfo.InvariantCulture),
            "count" => Count?.ToString(CultureInfo.InvariantCulture),
            _ => null,
        },
        UserSchemas.Resource,
        new ScimQueryOptions { MaxResults = 50 });

    public override string ToString() => $"filter={Filter} sortBy={SortBy} desc={Descending} startIndex={StartIndex} count={Count}";
}

/// <summary>A user to generate: every attribute the gateway returns, in random letter case.</summary>
internal sealed record UserSeed(
    string UserName,
    string? ExternalId,
    bool Active,
    string? DisplayName,
    string? GivenName,
    string? FamilyName,
    string? Title,
    string? Department,
    IReadOnlyList<(string Value, string? Type, bool Primary)> Emails,
    IReadOnlyList<string> Aliases,
    bool Legacy);

/// <summary>The users of one customer, written through the translation layer, and the evaluator's view of them.</summary>
internal sealed class FilterWorld
{
    private static readonly string[] Domains = ["example.com", "example.org", "Contoso.com"];

    private readonly IArchiveStoreFixture _fixture;
    private readonly ScimUserService _service;
    private readonly ScimTenantContext _tenant;
    private readonly Dictionary<string, List<string>> _orders = [];

    private FilterWorld(IArchiveStoreFixture fixture, ScimUserService service, ScimTenantContext tenant)
    {
        _fixture = fixture;
        _service = service;
        _tenant = tenant;
    }

    /// <summary>Per user: the resource the gateway returns and the view the evaluator filters.</summary>
    public List<(string Id, JsonObject Resource, JsonObject View)> Users { get; } = [];

    private static Gen<int> GenCase { get; } = Gen.Int[0, 2];

    /// <summary>Users whose names, addresses and aliases are unique by their position, as the archive requires.</summary>
    public static Gen<UserSeed[]> GenUsers => GenUser.Array[20, 36].Select(users => users.Select((user, index) => user(index)).ToArray());

    private static Gen<Func<int, UserSeed>> GenUser { get; } =
        from name in Gen.OneOfConst("ann", "Jay", "josé", "émile", "bo_b", "Zoë")
        from userCase in GenCase
        from externalId in Gen.OneOfConst<string?>("ExtCase1", "extcase1", "EXT-7", "ext-7", "Emp_1", "ÉXT", null)
        from active in Gen.Bool
        from displayName in Gen.OneOfConst<string?>("Jay Young", "jay young", "José Núñez", "JOSÉ NÚÑEZ", "Ann_Lee", "ann lee", "Ærø", "", null)
        from givenName in Gen.OneOfConst<string?>("Jay", "jay", "José", "ÉMILE", "Ann", null)
        from familyName in Gen.OneOfConst<string?>("Employee", "employee", "EMPLOYEE", "Young", "Núñez", "O'Brien", null)
        from title in Gen.OneOfConst<string?>("Archivist", "archivist", "Tour Guide", null)
        from department in Gen.OneOfConst<string?>("Sales", "sales", null)
        from emailCount in Gen.Int[0, 3]
        from types in Gen.OneOfConst<string?>("work", "home", "other", "Work", "WORK", null).Array[emailCount]
        from primaryAt in Gen.Int[-1, 2]
        from domains in Gen.Int[0, Domains.Length - 1].Array[3]
        from aliasCount in Gen.Int[0, 3]
        from aliasCases in GenCase.Array[3]
        from legacy in Gen.Int[0, 9]
        select (Func<int, UserSeed>)(index => new UserSeed(
            ApplyCase(userCase, $"{name}.{index}@{Domains[index % Domains.Length]}"),
            externalId,
            active,
            displayName,
            givenName,
            familyName,
            title,
            department,
            [.. types.Select((type, i) => (ApplyCase(aliasCases[i], $"{name}.{type ?? "untyped"}{i}.{index}@{Domains[domains[i]]}"), type, i == primaryAt))],
            [.. Enumerable.Range(0, aliasCount).Select(i => ApplyCase(aliasCases[i], $"alias{i}.{index}@{Domains[domains[i]]}"))],
            legacy == 0));

    private static string ApplyCase(int letterCase, string text) => letterCase switch
    {
        0 => text,
        1 => text.ToUpperInvariant(),
        _ => text.ToLowerInvariant(),
    };

    public static (ScimUserService Service, ScimTenantContext Tenant) Service(IArchiveStoreFixture fixture, int customerId, UserFilterOptions? options = null) =>
        (new ScimUserService(fixture.Accounts, new UserMapper(new EmailAliasOptions()), new ProvisioningMetrics(new UnscopedMeterFactory()), options),
         new ScimTenantContext("filters", customerId, "https://gateway.test/scim/filters/v2", "00-filters-01"));

    public static async Task<FilterWorld> CreateAsync(IArchiveStoreFixture fixture, UserSeed[] seeds, CancellationToken cancellationToken)
    {
        var customerId = await fixture.CreateCustomerAsync("filters-" + Guid.NewGuid().ToString("N"), cancellationToken);
        var (service, tenant) = Service(fixture, customerId);
        var world = new FilterWorld(fixture, service, tenant);
        foreach (var seed in seeds)
        {
            string id;
            if (seed.Legacy)
            {
                var primary = seed.Emails.Count > 0 ? seed.Emails[0].Value : seed.UserName;
                id = await fixture.InsertLegacyAccountAsync(customerId, new LegacyAccountSeed(seed.UserName, primary, seed.GivenName, seed.FamilyName, seed.DisplayName, seed.Active ? AccountStatus.Enabled : AccountStatus.Disabled, seed.Aliases), cancellationToken);
            }
            else
            {
                id = (await service.CreateAsync(tenant, ResourceBody.Parse(Body(seed), UserSchemas.Resource), cancellationToken)).Id;
            }

            var account = await fixture.Accounts.GetAsync(customerId, id, cancellationToken) ?? throw new InvalidOperationException("The user just written is gone.");
            var resource = (await service.GetAsync(tenant, id, cancellationToken)).Resource.Tree;
            world.Users.Add((id, resource, UserFilterViewOf(account, resource)));
        }

        return world;
    }

    /// <summary>The translation layer's own view; the examples above pin down what it means for aliases.</summary>
    private static JsonObject UserFilterViewOf(ArchiveAccount account, JsonObject resource) => UserFilterView.Of(account, resource);

    private static JsonObject Body(UserSeed seed)
    {
        var body = new JsonObject
        {
            ["schemas"] = new JsonArray(UserSchemas.CoreSchemaId, UserSchemas.EnterpriseSchemaId),
            ["userName"] = seed.UserName,
            ["active"] = seed.Active,
        };
        Put(body, "externalId", seed.ExternalId);
        Put(body, "displayName", seed.DisplayName);
        Put(body, "title", seed.Title);
        var name = new JsonObject();
        Put(name, "givenName", seed.GivenName);
        Put(name, "familyName", seed.FamilyName);
        if (name.Count > 0)
        {
            body["name"] = name;
        }

        if (seed.Emails.Count > 0)
        {
            body["emails"] = new JsonArray([.. seed.Emails.Select(e => (JsonNode)new JsonObject { ["value"] = e.Value, ["type"] = e.Type, ["primary"] = e.Primary })]);
        }

        if (seed.Department is not null)
        {
            body[UserSchemas.EnterpriseSchemaId] = new JsonObject { ["department"] = seed.Department, ["employeeNumber"] = seed.UserName.Length.ToString(CultureInfo.InvariantCulture) };
        }

        if (seed.Aliases.Count > 0)
        {
            // As Entra sends proxyAddresses: prefixed, with the primary and a non-SMTP entry.
            var primary = seed.Emails.Count == 0 ? null
                : seed.Emails.FirstOrDefault(e => IsWork(e.Type) && e.Primary).Value ?? seed.Emails.FirstOrDefault(e => IsWork(e.Type)).Value ?? seed.Emails.FirstOrDefault(e => e.Primary).Value ?? seed.Emails[0].Value;
            IEnumerable<string> entries = [.. primary is null ? [] : new[] { "SMTP:" + primary }, .. seed.Aliases.Select(a => "smtp:" + a), "x500:/o=Veritas/cn=" + seed.UserName];
            body[UserSchemas.VeritasSchemaId] = new JsonObject { [UserSchemas.EmailAliases] = string.Join(',', entries) };
        }

        return body;
    }

    private static bool IsWork(string? type) => string.Equals(type, "work", StringComparison.OrdinalIgnoreCase);

    private static void Put(JsonObject target, string name, string? value)
    {
        if (value is not null)
        {
            target[name] = value;
        }
    }

    /// <summary>Checks one query on both levels and says which path answered it.</summary>
    public async Task<FilterOutcome> AssertAgreesAsync(FilterQuery generated, CancellationToken cancellationToken)
    {
        var query = generated.ToScimQuery();
        var filter = query.Filter!;
        List<string>? expected = null;
        ScimException? expectedError = null;
        try
        {
            FilterEvaluator.Validate(filter, UserSchemas.Resource);
            expected = [.. Users.Where(u => FilterEvaluator.Matches(filter, u.View, UserSchemas.Resource)).Select(u => u.Id)];
        }
        catch (ScimException error)
        {
            expectedError = error;
        }

        ScimUserPage? page = null;
        ScimException? actualError = null;
        try
        {
            page = await _service.QueryAsync(_tenant, query, cancellationToken);
        }
        catch (ScimException error)
        {
            actualError = error;
        }

        if (expectedError is not null)
        {
            Assert.True(actualError is not null, $"The evaluator refuses ({expectedError.Message}) but the query answered {page?.TotalResults} users.");
            Assert.Equal(expectedError.Status, actualError.Status);
            Assert.Equal(expectedError.ScimType, actualError.ScimType);
            return new FilterOutcome("refused", Error: true, Matches: 0);
        }

        Assert.True(actualError is null, $"The evaluator matches {expected!.Count} users but the query failed: {actualError?.Message}");
        var matches = expected!.ToHashSet(StringComparer.Ordinal);
        var path = await AssertPushDownHoldsAsync(filter, matches, cancellationToken);

        // The order is the store's for the sort key (ties broken by its unique key); the evaluator picks the members.
        var ordered = (await OrderAsync(query.SortBy, query.SortDescending, cancellationToken)).Where(matches.Contains).ToList();
        Assert.Equal(ordered.Count, page!.TotalResults);
        var ids = page.Resources.Select(r => (string)r.Tree["id"]!).ToList();
        if (path == "indexed" && query.SortBy is not null)
        {
            // The indexed lookups sort their few rows in memory by the protocol's sorter.
            Assert.Equal(query.Page.Apply(ordered).Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
        }
        else
        {
            Assert.Equal(query.Page.Apply(ordered), ids);
        }

        return new FilterOutcome(path, Error: false, Matches: matches.Count);
    }

    /// <summary>The store's part: what the planner pushes down holds every match (exactly them when it says exact).</summary>
    private async Task<string> AssertPushDownHoldsAsync(Filter filter, HashSet<string> matches, CancellationToken cancellationToken)
    {
        var customerId = _tenant.CustomerId;
        var accounts = _fixture.Accounts;
        switch (UserFilterPlanner.Plan(filter))
        {
            case IndexedLookup indexed:
                {
                    var found = indexed.Field switch
                    {
                        AccountField.VaultEntryId => Maybe(await accounts.GetAsync(customerId, indexed.Value, cancellationToken)),
                        AccountField.UserName => Maybe(await accounts.FindByUserNameAsync(customerId, indexed.Value, cancellationToken)),
                        _ => await accounts.FindByWorkEmailAsync(customerId, indexed.Value, cancellationToken),
                    };
                    var ids = found.Select(a => a.VaultEntryId).ToHashSet(StringComparer.Ordinal);
                    Assert.True(matches.IsSubsetOf(ids), $"The indexed lookup {indexed} misses users the evaluator matches.");
                    return "indexed";
                }

            case PredicateLookup lookup:
                {
                    var page = await accounts.QueryAsync(customerId, new AccountQuery(lookup.Predicate, null, false, 1, AccountQuery.MaxCount), cancellationToken);
                    var ids = page.Accounts.Select(a => a.VaultEntryId).ToHashSet(StringComparer.Ordinal);
                    Assert.Equal(page.TotalResults, ids.Count);
                    if (lookup.Exact)
                    {
                        Assert.True(matches.SetEquals(ids), $"The store answers the exact push-down {lookup.Predicate} with {ids.Count} users, the evaluator matches {matches.Count}.");
                        return "exact";
                    }

                    Assert.True(matches.IsSubsetOf(ids), $"The narrowing {lookup.Predicate} misses users the evaluator matches.");
                    return lookup.Predicate is null ? "unnarrowed" : "narrowed";
                }

            default:
                throw new InvalidOperationException("Unknown plan.");
        }
    }

    private static IReadOnlyList<ArchiveAccount> Maybe(ArchiveAccount? account) => account is null ? [] : [account];

    private async Task<List<string>> OrderAsync(AttributePath? sortBy, bool descending, CancellationToken cancellationToken)
    {
        var key = sortBy is null ? string.Empty : FilterPrinter.Print(sortBy) + descending;
        if (!_orders.TryGetValue(key, out var order))
        {
            var field = sortBy is null ? (AccountField?)null : UserFilterPlanner.SortField(sortBy);
            var page = await _fixture.Accounts.QueryAsync(_tenant.CustomerId, new AccountQuery(null, field, descending, 1, AccountQuery.MaxCount), cancellationToken);
            order = [.. page.Accounts.Select(a => a.VaultEntryId)];
            _orders[key] = order;
        }

        return order;
    }

    /// <summary>Every value the users hold at a path, for filters that hit.</summary>
    public IReadOnlyList<string> ValuesAt(string path)
    {
        var values = new List<string>();
        foreach (var (_, _, view) in Users)
        {
            Collect(ResolveForValues(view, path), values);
        }

        return values.Count == 0 ? ["none"] : values;
    }

    private static JsonNode? ResolveForValues(JsonObject view, string path)
    {
        var (container, name) = path switch
        {
            "emailAliases" => (view[UserSchemas.VeritasSchemaId], UserSchemas.EmailAliases),
            "department" => (view[UserSchemas.EnterpriseSchemaId], "department"),
            _ => ((JsonNode?)view, path),
        };
        var parts = name.Split('.');
        var node = container;
        foreach (var part in parts)
        {
            node = node switch
            {
                JsonObject obj => obj[part],
                JsonArray array => new JsonArray([.. array.Select(item => (item as JsonObject)?[part]?.DeepClone())]),
                _ => null,
            };
        }

        return node;
    }

    private static void Collect(JsonNode? node, List<string> values)
    {
        switch (node)
        {
            case JsonArray array:
                foreach (var item in array)
                {
                    Collect(item, values);
                }

                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                values.Add(value.GetValue<string>());
                break;
        }
    }
}

/// <summary>Queries from the whole filter grammar over every attribute the gateway returns.</summary>
internal static class FilterCases
{
    private static readonly string[] Operators = ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"];

    /// <summary>Paths as clients write them (names in any case, URNs, an extension attribute without its URN).</summary>
    private static readonly (string Written, string Values)[] TextPaths =
    [
        ("userName", "userName"), ("USERNAME", "userName"), ("urn:ietf:params:scim:schemas:core:2.0:User:userName", "userName"),
        ("externalId", "externalId"), ("id", "id"), ("displayName", "displayName"),
        ("name.givenName", "name.givenName"), ("name.familyName", "name.familyName"), ("Name.FamilyName", "name.familyName"),
        ("title", "title"), ("nickName", "title"),
        ("emails", "emails.value"), ("emails.value", "emails.value"), ("emails.type", "emails.type"),
        ("emailAliases", "emailAliases"), ("urn:ietf:params:scim:schemas:extension:veritas:2.0:User:emailAliases", "emailAliases"),
        ("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "department"), ("department", "department"),
        ("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber", "department"),
    ];

    private static readonly string[] DatePaths = ["meta.created", "meta.lastModified"];

    private static readonly string[] BooleanPaths = ["active", "emails.primary"];

    private static readonly string[] WrongValues = ["true", "false", "null", "42", "\"yes\"", "\"T\"", "\"\"", "\"2026-01-31T08:00:00Z\"", "\"True\""];

    public static Gen<FilterQuery> Gen(FilterWorld world) =>
        from filter in Filter(world, 3)
        from sortBy in CsCheck.Gen.OneOfConst<string?>(null, null, "userName", "displayName", "name.familyName", "meta.created", "externalId", "emails.value")
        from inDescendingOrder in CsCheck.Gen.Bool
        from startIndex in CsCheck.Gen.OneOfConst<int?>(null, 1, 2, 3, 7)
        from count in CsCheck.Gen.OneOfConst<int?>(null, null, 0, 1, 2, 5)
        select new FilterQuery(filter, sortBy, inDescendingOrder, startIndex, count);

    private static Gen<string> Filter(FilterWorld world, int depth)
    {
        var leaf = CsCheck.Gen.Frequency(
            (6, TextComparison(world)),
            (2, DateComparison(world)),
            (2, BooleanComparison()),
            (2, Present()),
            (2, ValuePath(world)),
            (2, EntraWorkEmail(world)));
        if (depth == 0)
        {
            return leaf;
        }

        var inner = Filter(world, depth - 1);
        return CsCheck.Gen.Frequency(
            (5, leaf),
            (2, CsCheck.Gen.Select(inner, inner, (l, r) => $"({l}) and ({r})")),
            (2, CsCheck.Gen.Select(inner, inner, (l, r) => $"({l}) or ({r})")),
            (1, inner.Select(f => $"not ({f})")),
            (1, CsCheck.Gen.Select(inner, inner, (l, r) => $"{l} and {r}")));
    }

    private static Gen<string> TextComparison(FilterWorld world) =>
        from path in CsCheck.Gen.OneOfConst(TextPaths)
        from op in CsCheck.Gen.OneOfConst(Operators)
        from value in TextValue(world, path.Values, op)
        select $"{path.Written} {op} {value}";

    private static Gen<string> TextValue(FilterWorld world, string valuesPath, string op)
    {
        var values = world.ValuesAt(valuesPath);
        var fromData =
            from value in CsCheck.Gen.OneOfConst([.. values])
            from letterCase in CsCheck.Gen.Int[0, 2]
            from cut in CsCheck.Gen.Int[0, 3]
            select Quote(Cut(Case(letterCase, value), op, cut));
        return CsCheck.Gen.Frequency((8, fromData), (1, CsCheck.Gen.OneOfConst(WrongValues)), (1, CsCheck.Gen.OneOfConst("\"zzz\"", "\"a\"", "\"@\"", "\"%\"", "\"_\"", "\"\\u00e9\"")));
    }

    private static Gen<string> DateComparison(FilterWorld world)
    {
        var instants = world.Users.Select(u => (string)u.Resource["meta"]!["created"]!).ToArray();
        var value = CsCheck.Gen.Frequency(
            (6, from text in CsCheck.Gen.OneOfConst(instants)
                from shift in CsCheck.Gen.OneOfConst(0, 0, -1, 1, -1000, 1000)
                select Quote(DateTimeOffset.Parse(text, CultureInfo.InvariantCulture).AddTicks(shift * TimeSpan.TicksPerMillisecond).ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture))),
            (1, CsCheck.Gen.OneOfConst("\"2026\"", "\"T\"", "true", "12", "null", "\"2000-01-01T00:00:00Z\"", "\"2999-01-01\"")));
        return from path in CsCheck.Gen.OneOfConst(DatePaths)
               from op in CsCheck.Gen.OneOfConst(Operators)
               from literal in value
               select $"{path} {op} {literal}";
    }

    private static Gen<string> BooleanComparison() =>
        from path in CsCheck.Gen.OneOfConst(BooleanPaths)
        from op in CsCheck.Gen.Frequency((6, CsCheck.Gen.OneOfConst("eq", "ne")), (1, CsCheck.Gen.OneOfConst(Operators)))
        from value in CsCheck.Gen.OneOfConst("true", "false", "True", "\"False\"", "\"yes\"", "1", "null")
        select $"{path} {op} {value}";

    private static Gen<string> Present() =>
        from path in CsCheck.Gen.OneOfConst([.. TextPaths.Select(p => p.Written), .. DatePaths, .. BooleanPaths, "name"])
        select $"{path} pr";

    private static Gen<string> ValuePath(FilterWorld world)
    {
        var addresses = world.ValuesAt("emails.value");
        var inner = CsCheck.Gen.Frequency(
            (3, from type in CsCheck.Gen.OneOfConst("work", "home", "other", "WORK") select $"type eq \"{type}\""),
            (3, from op in CsCheck.Gen.OneOfConst(Operators)
                from value in CsCheck.Gen.OneOfConst([.. addresses])
                from letterCase in CsCheck.Gen.Int[0, 2]
                from cut in CsCheck.Gen.Int[0, 3]
                select $"value {op} {Quote(Cut(Case(letterCase, value), op, cut))}"),
            (1, CsCheck.Gen.OneOfConst("primary eq true", "primary eq false", "value pr", "display pr", "primary gt true", "type eq 1")));
        return from left in inner
               from right in inner
               from combine in CsCheck.Gen.Int[0, 3]
               select combine switch
               {
                   0 => $"emails[{left}]",
                   1 => $"emails[{left} and {right}]",
                   2 => $"emails[{left} or {right}]",
                   _ => $"emails[not ({left})]",
               };
    }

    private static Gen<string> EntraWorkEmail(FilterWorld world) =>
        from value in CsCheck.Gen.OneOfConst([.. world.ValuesAt("emails.value")])
        from letterCase in CsCheck.Gen.Int[0, 2]
        select $"emails[type eq \"work\"].value eq {Quote(Case(letterCase, value))}";

    private static string Case(int letterCase, string value) => letterCase switch
    {
        0 => value,
        1 => value.ToUpperInvariant(),
        _ => value.ToLowerInvariant(),
    };

    /// <summary>For co/sw/ew, often a part of the value: its start, its end or its middle.</summary>
    private static string Cut(string value, string op, int cut)
    {
        if (op is not ("co" or "sw" or "ew") || value.Length < 4 || cut == 0)
        {
            return value;
        }

        return cut switch
        {
            1 => value[..(value.Length / 2)],
            2 => value[(value.Length / 2)..],
            _ => value[1..^1],
        };
    }

    private static string Quote(string value) => JsonSerializer.Serialize(value);
}
