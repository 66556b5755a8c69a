using System.Data;

namespace Veritas.Scim.Archive.SqlServer.Procedures;

// Every procedure the store calls. Lengths follow the column definitions in sql/.

internal sealed record UserGetCall(
    [property: ProcedureParameter(DbType.Int32)] int CustomerId,
    [property: ProcedureParameter(DbType.String, 64)] string VaultEntryId) : IProcedureCall
{
    public static string ProcedureName => "scim.usp_User_Get";

    public static Type? ResultRowType => typeof(AccountRow);
}

internal sealed record UserFindByUserNameCall(
    [property: ProcedureParameter(DbType.Int32)] int CustomerId,
    [property: ProcedureParameter(DbType.String, 256)] string UserName) : IProcedureCall
{
    public static string ProcedureName => "scim.usp_User_FindByUserName";

    public static Type? ResultRowType => typeof(AccountRow);
}

internal sealed record UserFindByExternalIdCall(
    [property: ProcedureParameter(DbType.Int32)] int CustomerId,
    [property: ProcedureParameter(DbType.String, 256)] string ExternalId) : IProcedureCall
{
    public static string ProcedureName => "scim.usp_User_FindByExternalId";

    public static Type? ResultRowType => typeof(AccountRow);
}

internal sealed record UserFindByPrimarySmtpAddressCall(
    [property: ProcedureParameter(DbType.Int32)] int CustomerId,
    [property: ProcedureParameter(DbType.String, 320)] string SmtpAddress) : IProcedureCall
{
    public static string ProcedureName => "scim.usp_User_FindByPrimarySmtpAddress";

    public static Type? ResultRowType => typeof(AccountRow);
}

internal sealed record UserCreateCall(
    [property: ProcedureParameter(DbType.Int32)] int CustomerId,
    [property: ProcedureParameter(DbType.String, 256)] string UserName,
    [property: ProcedureParameter(DbType.String, 320)] string? PrimarySmtpAddress,
    [property: ProcedureParameter(DbType.String, 128)] string? FirstName,
    [property: ProcedureParameter(DbType.String, 128)] string? LastName,
    [property: ProcedureParameter(DbType.String, 256)] string? DisplayName,
    [property: ProcedureParameter(DbType.Boolean)] bool Enabled,
    [property: ProcedureParameter(DbType.String, 256)] string? ExternalId,
    [property: ProcedureParameter(DbType.String, -1)] string? ScimAttributesJson,
    [property: ProcedureParameter(DbType.Object, TableTypeName = AliasListParameter.TableTypeName)] IReadOnlyList<string> Aliases,
    [property: ProcedureParameter(DbType.String, 64)] string TenantKey,
    [property: ProcedureParameter(DbType.String, 128)] string CorrelationId) : IProcedureCall
{
    public static string ProcedureName => "scim.usp_User_Create";

    public static Type? ResultRowType => typeof(AccountRow);
}

internal sealed record UserUpdateCall(
    [property: ProcedureParameter(DbType.Int32)] int CustomerId,
    [property: ProcedureParameter(DbType.String, 64)] string VaultEntryId,
    [property: ProcedureParameter(DbType.Int64)] long ExpectedVersion,
    [property: ProcedureParameter(DbType.String, 256)] string UserName,
    [property: ProcedureParameter(DbType.String, 320)] string? PrimarySmtpAddress,
    [property: ProcedureParameter(DbType.String, 128)] string? FirstName,
    [property: ProcedureParameter(DbType.String, 128)] string? LastName,
    [property: ProcedureParameter(DbType.String, 256)] string? DisplayName,
    [property: ProcedureParameter(DbType.Boolean)] bool Enabled,
    [property: ProcedureParameter(DbType.String, 256)] string? ExternalId,
    [property: ProcedureParameter(DbType.String, -1)] string? ScimAttributesJson,
    [property: ProcedureParameter(DbType.Object, TableTypeName = AliasListParameter.TableTypeName)] IReadOnlyList<string> Aliases,
    [property: ProcedureParameter(DbType.String, 64)] string TenantKey,
    [property: ProcedureParameter(DbType.String, 128)] string CorrelationId) : IProcedureCall
{
    public static string ProcedureName => "scim.usp_User_Update";

    public static Type? ResultRowType => typeof(AccountRow);
}

internal sealed record UserDeleteCall(
    [property: ProcedureParameter(DbType.Int32)] int CustomerId,
    [property: ProcedureParameter(DbType.String, 64)] string VaultEntryId,
    [property: ProcedureParameter(DbType.Int64)] long? ExpectedVersion,
    [property: ProcedureParameter(DbType.String, 64)] string TenantKey,
    [property: ProcedureParameter(DbType.String, 128)] string CorrelationId) : IProcedureCall
{
    public static string ProcedureName => "scim.usp_User_Delete";

    public static Type? ResultRowType => null;
}

internal sealed record TenantResolveTokenCall(
    [property: ProcedureParameter(DbType.Binary, 32)] byte[] TokenHash) : IProcedureCall
{
    public static string ProcedureName => "scim.usp_Tenant_ResolveToken";

    public static Type? ResultRowType => typeof(TenantAccessRow);
}

internal sealed record TenantAddCall(
    [property: ProcedureParameter(DbType.String, 64)] string TenantKey,
    [property: ProcedureParameter(DbType.String, 200)] string CustomerNameOrId) : IProcedureCall
{
    public static string ProcedureName => "scim.usp_Tenant_Add";

    public static Type? ResultRowType => typeof(TenantRow);
}

internal sealed record TenantListCall : IProcedureCall
{
    public static string ProcedureName => "scim.usp_Tenant_List";

    public static Type? ResultRowType => typeof(TenantRow);
}

internal sealed record TokenAddCall(
    [property: ProcedureParameter(DbType.String, 64)] string TenantKey,
    [property: ProcedureParameter(DbType.Binary, 32)] byte[] TokenHash) : IProcedureCall
{
    public static string ProcedureName => "scim.usp_Token_Add";

    public static Type? ResultRowType => typeof(TokenRow);
}

internal sealed record TokenListCall(
    [property: ProcedureParameter(DbType.String, 64)] string TenantKey) : IProcedureCall
{
    public static string ProcedureName => "scim.usp_Token_List";

    public static Type? ResultRowType => typeof(TokenRow);
}

internal sealed record TokenRevokeCall(
    [property: ProcedureParameter(DbType.String, 64)] string TenantKey,
    [property: ProcedureParameter(DbType.Int32)] int TokenId) : IProcedureCall
{
    public static string ProcedureName => "scim.usp_Token_Revoke";

    public static Type? ResultRowType => null;
}
