using System.Text.Json;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.SqlServer.Procedures;

// Rows as the procedures and the view return them; Dapper maps each column onto the property of
// the same name. The contract tests check every property against the procedures' SELECT lists.

/// <summary>One row of scim.vw_ScimUser as the account procedures select it.</summary>
internal sealed class AccountRow
{
    public string VaultEntryId { get; set; } = string.Empty;

    public int CustomerId { get; set; }

    public string UserName { get; set; } = string.Empty;

    public string? PrimarySmtpAddress { get; set; }

    public string? FirstName { get; set; }

    public string? LastName { get; set; }

    public string? DisplayName { get; set; }

    public byte AccountStatus { get; set; }

    public byte ProvisioningSource { get; set; }

    public string? ExternalId { get; set; }

    public string? ScimAttributesJson { get; set; }

    public bool HasUserMap { get; set; }

    public long Version { get; set; }

    public DateTime CreatedUtc { get; set; }

    public DateTime ModifiedUtc { get; set; }

    /// <summary>[{"SmtpAddress":"..."}] in the order added, or null without live aliases.</summary>
    public string? AliasesJson { get; set; }

    public ArchiveAccount ToArchiveAccount() => new(
        VaultEntryId,
        CustomerId,
        UserName,
        PrimarySmtpAddress,
        FirstName,
        LastName,
        DisplayName,
        (AccountStatus)AccountStatus,
        (ProvisioningSource)ProvisioningSource,
        ExternalId,
        ParseAliases(AliasesJson),
        ScimAttributesJson,
        HasUserMap,
        Version,
        UtcTimestamp.From(CreatedUtc),
        UtcTimestamp.From(ModifiedUtc));

    internal static IReadOnlyList<string> ParseAliases(string? aliasesJson)
    {
        if (string.IsNullOrEmpty(aliasesJson))
        {
            return [];
        }

        using var document = JsonDocument.Parse(aliasesJson);
        var aliases = new List<string>(document.RootElement.GetArrayLength());
        foreach (var element in document.RootElement.EnumerateArray())
        {
            aliases.Add(element.GetProperty("SmtpAddress").GetString()!);
        }

        return aliases;
    }
}

internal sealed class TenantRow
{
    public int TenantId { get; set; }

    public string TenantKey { get; set; } = string.Empty;

    public int CustomerId { get; set; }

    public string CustomerName { get; set; } = string.Empty;

    public DateTime CreatedUtc { get; set; }

    public Tenant ToTenant() => new(TenantId, TenantKey, CustomerId, CustomerName, UtcTimestamp.From(CreatedUtc));
}

internal sealed class TokenRow
{
    public int TokenId { get; set; }

    public string TenantKey { get; set; } = string.Empty;

    public DateTime CreatedUtc { get; set; }

    public DateTime? LastUsedUtc { get; set; }

    public DateTime? RevokedUtc { get; set; }

    public TenantToken ToTenantToken() => new(
        TokenId,
        TenantKey,
        UtcTimestamp.From(CreatedUtc),
        LastUsedUtc is { } lastUsed ? UtcTimestamp.From(lastUsed) : null,
        RevokedUtc is { } revoked ? UtcTimestamp.From(revoked) : null);
}

internal sealed class TenantAccessRow
{
    public int TenantId { get; set; }

    public string TenantKey { get; set; } = string.Empty;

    public int CustomerId { get; set; }

    public int TokenId { get; set; }

    public TenantAccess ToTenantAccess() => new(TenantId, TenantKey, CustomerId, TokenId);
}

/// <summary>The one row scim.usp_Health_Check returns when every table answers.</summary>
internal sealed class HealthRow
{
    public bool Ready { get; set; }

    /// <summary>Why the archive cannot take writes although it answers (names settings, never data).</summary>
    public string? NotReadyBecause { get; set; }
}

/// <summary>datetime2 columns hold UTC without an offset; the driver hands them over as unspecified.</summary>
internal static class UtcTimestamp
{
    public static DateTimeOffset From(DateTime storedUtc) =>
        new(DateTime.SpecifyKind(storedUtc, DateTimeKind.Utc), TimeSpan.Zero);
}
