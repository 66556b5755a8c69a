namespace Veritas.Scim.Translation.Users;

/// <summary>Who a SCIM request acts for, resolved by the host before translation starts.</summary>
/// <param name="TenantKey">The <c>{tenant}</c> segment of the URL.</param>
/// <param name="CustomerId">The archive customer the tenant maps to; every store call is scoped to it.</param>
/// <param name="BaseUrl">The tenant's SCIM base URL (…/scim/{tenant}/v2), for meta.location.</param>
/// <param name="CorrelationId">The request's trace id, written to the audit log.</param>
public sealed record ScimTenantContext(string TenantKey, int CustomerId, string BaseUrl, string CorrelationId);
