using System.Data;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.SqlServer.Procedures;

// Every procedure the store calls. Lengths are ArchiveLimits (the contract tests compare them with sql/);
// Writes says whether a call changes data, which decides what the resilience pipeline may retry.

internal sealed record UserGetCall(
    [property: ProcedureParameter(DbType.Int32)] int CustomerId,
    [property: ProcedureParameter(DbType.String, ArchiveLimits.VaultEntryId)] string VaultEntryId) : IProcedureCall
{
    public static string ProcedureName => "scim.usp_User_Get";

    public static bool Writes => false;

    public static Type? ResultRowType => typeof(AccountRow);
}

internal sealed record UserFindByUserNameCall(
    [property: ProcedureParameter(DbType.Int32)] int CustomerId,
    [property: ProcedureParameter(DbType.String, ArchiveLimits.UserName)] string UserName) : IProcedureCall
{
    public static string ProcedureName => "scim.usp_User_FindByUserName";

    public static bool Writes => false;

    public static Type? ResultRowType => typeof(AccountRow);
}

internal sealed record UserFindByExternalIdCall(
    [property: ProcedureParameter(DbType.Int32)] int CustomerId,
    [property: ProcedureParameter(DbType.String, ArchiveLimits.ExternalId)] string ExternalId) : IProcedureCall
{
    public static string ProcedureName => "scim.usp_User_FindByExternalId";

    public static bool Writes => false;

    public static Type? ResultRowType => typeof(AccountRow);
}

internal sealed record UserFindByPrimarySmtpAddressCall(
    [property: ProcedureParameter(DbType.Int32)] int CustomerId,
    [property: ProcedureParameter(DbType.String, ArchiveLimits.SmtpAddress)] string SmtpAddress) : IProcedureCall
{
    public static string ProcedureName => "scim.usp_User_FindByPrimarySmtpAddress";

    public static bool Writes => false;

    public static Type? ResultRowType => typeof(AccountRow);
}

internal sealed record UserCreateCall(
    [property: ProcedureParameter(DbType.Int32)] int CustomerId,
    [property: ProcedureParameter(DbType.String, ArchiveLimits.UserName)] string UserName,
    [property: ProcedureParameter(DbType.String, ArchiveLimits.SmtpAddress)] string? PrimarySmtpAddress,
    [property: ProcedureParameter(DbType.String, ArchiveLimits.FirstName)] string? FirstName,
    [property: ProcedureParameter(DbType.String, ArchiveLimits.LastName)] string? LastName,
    [property: ProcedureParameter(DbType.String, ArchiveLimits.DisplayName)] string? DisplayName,
    [property: ProcedureParameter(DbType.Boolean)] bool Enabled,
    [property: ProcedureParameter(DbType.String, ArchiveLimits.ExternalId)] string? ExternalId,
    [property: ProcedureParameter(DbType.String, -1)] string? ScimAttributesJson,
    [property: ProcedureParameter(DbType.Object, TableTypeName = AliasListParameter.TableTypeName)] IReadOnlyList<string> Aliases,
    [property: ProcedureParameter(DbType.String, ArchiveLimits.TenantKey)] string TenantKey,
    [property: ProcedureParameter(DbType.String, ArchiveLimits.CorrelationId)] string CorrelationId,
    [property: ProcedureParameter(DbType.String, ArchiveLimits.OtherWorkEmails)] string? OtherWorkEmails) : IProcedureCall
{
    public static string ProcedureName => "scim.usp_User_Create";

    public static bool Writes => true;

    public static Type? ResultRowType => typeof(AccountRow);
}

internal sealed record UserUpdateCall(
    [property: ProcedureParameter(DbType.Int32)] int CustomerId,
    [property: ProcedureParameter(DbType.String, ArchiveLimits.VaultEntryId)] string VaultEntryId,
    [property: ProcedureParameter(DbType.Int64)] long ExpectedVersion,
    [property: ProcedureParameter(DbType.String, ArchiveLimits.UserName)] string UserName,
    [property: ProcedureParameter(DbType.String, ArchiveLimits.SmtpAddress)] string? PrimarySmtpAddress,
    [property: ProcedureParameter(DbType.String, ArchiveLimits.FirstName)] string? FirstName,
    [property: ProcedureParameter(DbType.String, ArchiveLimits.LastName)] string? LastName,
    [property: ProcedureParameter(DbType.String, ArchiveLimits.DisplayName)] string? DisplayName,
    [property: ProcedureParameter(DbType.Boolean)] bool Enabled,
    [property: ProcedureParameter(DbType.String, ArchiveLimits.ExternalId)] string? ExternalId,
    [property: ProcedureParameter(DbType.String, -1)] string? ScimAttributesJson,
    [property: ProcedureParameter(DbType.Object, TableTypeName = AliasListParameter.TableTypeName)] IReadOnlyList<string> Aliases,
    [property: ProcedureParameter(DbType.String, ArchiveLimits.TenantKey)] string TenantKey,
    [property: ProcedureParameter(DbType.String, ArchiveLimits.CorrelationId)] string CorrelationId,
    [property: ProcedureParameter(DbType.String, ArchiveLimits.OtherWorkEmails)] string? OtherWorkEmails) : IProcedureCall
{
    public static string ProcedureName => "scim.usp_User_Update";

    public static bool Writes => true;

    public static Type? ResultRowType => typeof(AccountRow);
}

internal sealed record UserDeleteCall(
    [property: ProcedureParameter(DbType.Int32)] int CustomerId,
    [property: ProcedureParameter(DbType.String, ArchiveLimits.VaultEntryId)] string VaultEntryId,
    [property: ProcedureParameter(DbType.Int64)] long? ExpectedVersion,
    [property: ProcedureParameter(DbType.String, ArchiveLimits.TenantKey)] string TenantKey,
    [property: ProcedureParameter(DbType.String, ArchiveLimits.CorrelationId)] string CorrelationId) : IProcedureCall
{
    public static string ProcedureName => "scim.usp_User_Delete";

    public static bool Writes => true;

    public static Type? ResultRowType => null;
}

internal sealed record TenantResolveTokenCall(
    [property: ProcedureParameter(DbType.Binary, ArchiveLimits.TokenHash)] byte[] TokenHash) : IProcedureCall
{
    public static string ProcedureName => "scim.usp_Tenant_ResolveToken";

    // Its one write (the use time, at most once a minute) is harmless to repeat.
    public static bool Writes => false;

    public static Type? ResultRowType => typeof(TenantAccessRow);
}

internal sealed record TenantAddCall(
    [property: ProcedureParameter(DbType.String, ArchiveLimits.TenantKey)] string TenantKey,
    [property: ProcedureParameter(DbType.String, ArchiveLimits.CustomerName)] string CustomerNameOrId) : IProcedureCall
{
    public static string ProcedureName => "scim.usp_Tenant_Add";

    public static bool Writes => true;

    public static Type? ResultRowType => typeof(TenantRow);
}

internal sealed record TenantListCall : IProcedureCall
{
    public static string ProcedureName => "scim.usp_Tenant_List";

    public static bool Writes => false;

    public static Type? ResultRowType => typeof(TenantRow);
}

internal sealed record TokenAddCall(
    [property: ProcedureParameter(DbType.String, ArchiveLimits.TenantKey)] string TenantKey,
    [property: ProcedureParameter(DbType.Binary, ArchiveLimits.TokenHash)] byte[] TokenHash) : IProcedureCall
{
    public static string ProcedureName => "scim.usp_Token_Add";

    public static bool Writes => true;

    public static Type? ResultRowType => typeof(TokenRow);
}

internal sealed record TokenListCall(
    [property: ProcedureParameter(DbType.String, ArchiveLimits.TenantKey)] string TenantKey) : IProcedureCall
{
    public static string ProcedureName => "scim.usp_Token_List";

    public static bool Writes => false;

    public static Type? ResultRowType => typeof(TokenRow);
}

internal sealed record TokenRevokeCall(
    [property: ProcedureParameter(DbType.String, ArchiveLimits.TenantKey)] string TenantKey,
    [property: ProcedureParameter(DbType.Int32)] int TokenId) : IProcedureCall
{
    public static string ProcedureName => "scim.usp_Token_Revoke";

    public static bool Writes => true;

    public static Type? ResultRowType => null;
}

internal sealed record HealthCheckCall : IProcedureCall
{
    public static string ProcedureName => "scim.usp_Health_Check";

    public static bool Writes => false;

    public static Type? ResultRowType => typeof(HealthRow);
}
