using Veritas.Scim.Protocol.Errors;
using Veritas.Scim.Protocol.Filtering;
using Veritas.Scim.Protocol.Querying;
using Veritas.Scim.Protocol.Schemas;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Translation.Users;

/// <summary>
/// Answers a SCIM query by the plan of <see cref="UserFilterPlanner"/>, one store call whatever the
/// plan. Where the store only narrows the filter, the evaluator decides over the candidates and
/// the page, the total and the order are made here: the candidates arrive in the store's order for
/// sortBy, so a page is the same slice the store would have cut.
/// </summary>
internal sealed class UserQueryRunner(IArchiveAccountStore store, UserFilterOptions options)
{
    private static readonly ScimResourceSchema User = UserSchemas.Resource;

    public async Task<ScimUserPage> QueryAsync(ScimTenantContext tenant, ScimQuery query, CancellationToken cancellationToken)
    {
        var sortField = query.SortBy is null ? (AccountField?)null : UserFilterPlanner.SortField(query.SortBy);
        switch (UserFilterPlanner.Plan(query.Filter))
        {
            case IndexedLookup indexed:
                {
                    IEnumerable<UserResource> matches = Matching(query.Filter!, await FindAsync(tenant.CustomerId, indexed, cancellationToken), tenant);
                    if (query.SortBy is not null)
                    {
                        matches = matches.OrderBy(resource => resource.Tree, new ResourceSorter(User, query.SortBy, query.SortDescending));
                    }

                    var all = matches.ToList();
                    return new ScimUserPage(all.Count, query.Page.StartIndex, [.. query.Page.Apply(all)]);
                }

            case PredicateLookup { Exact: true } exact:
                {
                    var page = await store.QueryAsync(
                        tenant.CustomerId,
                        new AccountQuery(exact.Predicate, sortField, query.SortDescending, query.Page.StartIndex, query.Page.Count),
                        cancellationToken);
                    return new ScimUserPage(page.TotalResults, query.Page.StartIndex, [.. page.Accounts.Select(a => new UserResource(a, tenant.BaseUrl))]);
                }

            case PredicateLookup narrowing:
                {
                    var candidates = await store.QueryAsync(
                        tenant.CustomerId,
                        new AccountQuery(narrowing.Predicate, sortField, query.SortDescending, StartIndex: 1, Count: options.MaxCandidates + 1),
                        cancellationToken);
                    if (candidates.TotalResults > options.MaxCandidates)
                    {
                        throw ScimException.BadRequest(
                            ScimErrorType.TooMany,
                            $"The filter leaves more than {options.MaxCandidates} users to examine one by one; narrow it with an attribute the archive indexes ({UserFilterPlanner.IndexedAttributes}).");
                    }

                    var all = Matching(query.Filter!, candidates.Accounts, tenant).ToList();
                    return new ScimUserPage(all.Count, query.Page.StartIndex, [.. query.Page.Apply(all)]);
                }

            default:
                throw new InvalidOperationException("Unknown lookup plan.");
        }
    }

    /// <summary>The evaluator decides, over the user as filters see it; the resource returned is the user as the gateway shows it.</summary>
    private static IEnumerable<UserResource> Matching(Filter filter, IEnumerable<ArchiveAccount> candidates, ScimTenantContext tenant)
    {
        var asksAboutAliases = UserFilterView.AsksAboutAliases(filter);
        var asksOnlyAboutColumns = UserFilterView.AsksOnlyAboutColumns(filter);
        foreach (var account in candidates)
        {
            if (asksOnlyAboutColumns)
            {
                if (FilterEvaluator.Matches(filter, UserFilterView.Columns(account), User))
                {
                    yield return new UserResource(account, tenant.BaseUrl);
                }

                continue;
            }

            var resource = UserMapper.ToResource(account, tenant.BaseUrl);
            if (FilterEvaluator.Matches(filter, asksAboutAliases ? UserFilterView.Of(account, resource) : resource, User))
            {
                yield return new UserResource(resource);
            }
        }
    }

    private Task<IReadOnlyList<ArchiveAccount>> FindAsync(int customerId, IndexedLookup lookup, CancellationToken cancellationToken) => lookup.Field switch
    {
        AccountField.VaultEntryId => One(store.GetAsync(customerId, lookup.Value, cancellationToken)),
        AccountField.UserName => One(store.FindByUserNameAsync(customerId, lookup.Value, cancellationToken)),
        AccountField.PrimarySmtpAddress => store.FindByWorkEmailAsync(customerId, lookup.Value, cancellationToken),
        _ => throw new InvalidOperationException($"{lookup.Field} has no indexed lookup."),
    };

    private static async Task<IReadOnlyList<ArchiveAccount>> One(Task<ArchiveAccount?> lookup) =>
        await lookup is { } account ? [account] : [];
}
