using System.Globalization;
using Veritas.Scim.Protocol.Errors;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Gateway.Scim;

/// <summary>
/// The one mapping from a failure to the SCIM error a client receives: protocol and translation
/// refusals (<see cref="ScimException"/>), store outcomes (<see cref="ArchiveStoreException"/>), a
/// store that sheds load, a request Kestrel could not read, and the host's own refusals
/// (authentication, rate limit, method, route). Nothing else decides a SCIM status.
/// </summary>
internal static class ScimErrors
{
    /// <summary>
    /// The error for a failure, or null when there is nobody to answer (the client went away).
    /// <paramref name="unexpected"/> is true for a failure no mapping foresaw: a 500 that is logged as an error.
    /// <paramref name="userId"/> is the id the request named, for the one wording of a missing user.
    /// </summary>
    public static ScimErrorResult? From(Exception failure, bool clientAborted, out bool unexpected, string? userId = null)
    {
        ArgumentNullException.ThrowIfNull(failure);
        unexpected = false;
        switch (failure)
        {
            case ScimRefusedException refused:
                return refused.Error;
            case ScimException scim:
                return new ScimErrorResult(scim.Status, scim.ScimType, scim.Message);
            case ArchiveStoreException store:
                return FromStore(store, userId);
            case ArchiveStoreUnavailableException unavailable:
                return new ScimErrorResult(StatusCodes.Status503ServiceUnavailable, null, "The archive store is unavailable; retry later.")
                {
                    Headers = [RetryAfter(unavailable.RetryAfter)],
                };
            case BadHttpRequestException unreadable when !clientAborted:
                // Client garbage (a malformed chunk size, a body cut short): Kestrel's own status, never a 500.
                return new ScimErrorResult(unreadable.StatusCode is >= 400 and < 500 ? unreadable.StatusCode : StatusCodes.Status400BadRequest, null, "The request could not be read: " + unreadable.Message);
            case OperationCanceledException or IOException or BadHttpRequestException when clientAborted:
                return null;
            case IOException when !clientAborted:
                return new ScimErrorResult(StatusCodes.Status400BadRequest, null, "The request body could not be read.");
            default:
                unexpected = true;
                return new ScimErrorResult(StatusCodes.Status500InternalServerError, null, "The gateway could not complete the request.");
        }
    }

    public static ScimErrorResult Unauthorized() =>
        new(StatusCodes.Status401Unauthorized, null, "A valid bearer token for this tenant is required.")
        {
            Headers = [new("WWW-Authenticate", "Bearer realm=\"scim\"")],
        };

    public static ScimErrorResult Forbidden() =>
        new(StatusCodes.Status403Forbidden, null, "This token may not perform that request.");

    public static ScimErrorResult TenantRateLimited(TimeSpan retryAfter) =>
        new(StatusCodes.Status429TooManyRequests, null, "Too many requests for this tenant; retry after the time in Retry-After.") { Headers = [RetryAfter(retryAfter)] };

    public static ScimErrorResult FailedAuthenticationRateLimited(TimeSpan retryAfter) =>
        new(StatusCodes.Status429TooManyRequests, null, "Too many failed authentication attempts from this address; retry after the time in Retry-After.") { Headers = [RetryAfter(retryAfter)] };

    public static ScimErrorResult MethodNotAllowed(string method, ScimEndpoint endpoint) =>
        new(StatusCodes.Status405MethodNotAllowed, null, $"{method} is not supported here.") { Headers = [new("Allow", endpoint.Allow)] };

    public static ScimErrorResult NoEndpoint(ScimOperationMatch match, string rest) =>
        new(StatusCodes.Status404NotFound, null, match.ResourceType == "Group" ? "Groups are not managed by this gateway." : $"There is no SCIM endpoint at '/{rest}'.");

    public static ScimErrorResult RouteWithoutTenantPolicy() =>
        new(StatusCodes.Status503ServiceUnavailable, null, "This SCIM route is not configured for tenant authentication.");

    public static ScimErrorResult UnsupportedMediaType() =>
        new(StatusCodes.Status415UnsupportedMediaType, null, "Send the body as application/scim+json or application/json.");

    public static ScimErrorResult BodyTooLarge(int limit) =>
        new(StatusCodes.Status413PayloadTooLarge, null, $"The request body is larger than {limit} bytes.");

    private static ScimErrorResult FromStore(ArchiveStoreException store, string? userId) => store.Error switch
    {
        ArchiveStoreError.NotFound or ArchiveStoreError.TenantNotFound => new(StatusCodes.Status404NotFound, null, string.IsNullOrEmpty(userId) ? "The user was not found." : $"User '{userId}' not found."),
        ArchiveStoreError.UserNameTaken => new(StatusCodes.Status409Conflict, ScimErrorType.Uniqueness, "The userName is already in use by another user."),
        ArchiveStoreError.AliasTaken => new(StatusCodes.Status409Conflict, ScimErrorType.Uniqueness, $"The address '{store.Address}' is already in use by another user."),
        ArchiveStoreError.VersionMismatch => new(StatusCodes.Status412PreconditionFailed, null, "The user was changed by another request since the version given in If-Match."),
        _ => new(StatusCodes.Status409Conflict, null, "The archive store refused the change."),
    };

    private static KeyValuePair<string, string> RetryAfter(TimeSpan wait) =>
        new("Retry-After", Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture));
}

/// <summary>A refusal the host decided while reading a request (415, 413), carried to <see cref="ScimErrors.From"/>.</summary>
internal sealed class ScimRefusedException(ScimErrorResult error) : Exception(error.Detail)
{
    public ScimErrorResult Error { get; } = error;
}
