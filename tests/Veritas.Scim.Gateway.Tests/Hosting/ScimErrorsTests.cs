using Microsoft.AspNetCore.Http;
using Veritas.Scim.Gateway.Scim;
using Veritas.Scim.Protocol.Errors;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Gateway.Tests.Hosting;

/// <summary>The one failure-to-SCIM-error mapping, failure kind by failure kind.</summary>
public sealed class ScimErrorsTests
{
    public static TheoryData<string, Exception, int, ScimErrorType?> Failures() => new()
    {
        { "protocol", ScimException.InvalidFilter("bad"), 400, ScimErrorType.InvalidFilter },
        { "translation", new ScimException(409, null, "retry"), 409, null },
        { "not found", new ArchiveStoreException(ArchiveStoreError.NotFound, "x"), 404, null },
        { "user name taken", new ArchiveStoreException(ArchiveStoreError.UserNameTaken, "x"), 409, ScimErrorType.Uniqueness },
        { "alias taken", new ArchiveStoreException(ArchiveStoreError.AliasTaken, "x", "a@b.example.com"), 409, ScimErrorType.Uniqueness },
        { "version", new ArchiveStoreException(ArchiveStoreError.VersionMismatch, "x"), 412, null },
        { "unavailable", new ArchiveStoreUnavailableException("down", TimeSpan.FromSeconds(7.2)), 503, null },
        { "unreadable body", new BadHttpRequestException("Invalid chunk size", 400), 400, null },
        { "body read failure", new IOException("reset"), 400, null },
        { "host refusal", new ScimRefusedException(ScimErrors.UnsupportedMediaType()), 415, null },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Every_failure_kind_has_its_status_and_scim_type(string kind, Exception failure, int status, ScimErrorType? scimType)
    {
        var error = ScimErrors.From(failure, clientAborted: false, out var unexpected);

        Assert.NotNull(error);
        Assert.Equal(status, error.Status);
        Assert.Equal(scimType, error.ScimType);
        Assert.False(unexpected, kind);
    }

    [Fact]
    public void The_store_names_only_the_address_the_client_sent_and_retry_after_is_whole_seconds()
    {
        Assert.Contains("a@b.example.com", ScimErrors.From(new ArchiveStoreException(ArchiveStoreError.AliasTaken, "internal text", "a@b.example.com"), false, out _)!.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("internal text", ScimErrors.From(new ArchiveStoreException(ArchiveStoreError.UserNameTaken, "internal text"), false, out _)!.Detail, StringComparison.Ordinal);
        Assert.Contains(new KeyValuePair<string, string>("Retry-After", "8"), ScimErrors.From(new ArchiveStoreUnavailableException("down", TimeSpan.FromSeconds(7.2)), false, out _)!.Headers);
    }

    [Fact]
    public void A_client_that_went_away_gets_nothing_and_anything_unforeseen_is_a_500_flagged_unexpected()
    {
        Assert.Null(ScimErrors.From(new OperationCanceledException(), clientAborted: true, out var aborted));
        Assert.False(aborted);
        Assert.Null(ScimErrors.From(new BadHttpRequestException("Unexpected end of request content.", 400), clientAborted: true, out _));

        var error = ScimErrors.From(new InvalidOperationException("bug"), clientAborted: false, out var unexpected);
        Assert.Equal(500, error!.Status);
        Assert.True(unexpected);
        Assert.DoesNotContain("bug", error.Detail, StringComparison.Ordinal);
    }
}
