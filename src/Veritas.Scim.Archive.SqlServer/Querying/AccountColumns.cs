using System.Collections.Frozen;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.SqlServer.Querying;

internal enum ColumnKind
{
    Text,
    Boolean,
    Timestamp,
    /// <summary>Not a column: an EXISTS over the account's live alias rows.</summary>
    Alias,
}

/// <summary>A column of scim.vw_ScimUser that a filter or sort may name.</summary>
internal sealed record AccountColumn(string Name, ColumnKind Kind, bool Nullable);

/// <summary>
/// The whitelist: the only column names that reach SQL text built in C#. Every
/// <see cref="AccountField"/> maps to a fixed column of scim.vw_ScimUser.
/// </summary>
internal static class AccountColumns
{
    public const string ViewName = "scim.vw_ScimUser";

    /// <summary>The live aliases (AccountId, SmtpAddress) that alias comparisons read.</summary>
    public const string AliasViewName = "scim.vw_ScimUserAlias";

    /// <summary>Every object the built query reads: the role scim_gateway may SELECT exactly these.</summary>
    public static IReadOnlyList<string> ViewsRead { get; } = [ViewName, AliasViewName];

    public static FrozenDictionary<AccountField, AccountColumn> ByField { get; } = new Dictionary<AccountField, AccountColumn>
    {
        [AccountField.VaultEntryId] = new("VaultEntryId", ColumnKind.Text, Nullable: false),
        [AccountField.UserName] = new("UserName", ColumnKind.Text, Nullable: false),
        [AccountField.ExternalId] = new("ExternalId", ColumnKind.Text, Nullable: true),
        [AccountField.OtherWorkEmails] = new("OtherWorkEmails", ColumnKind.Text, Nullable: true),
        [AccountField.PrimarySmtpAddress] = new("PrimarySmtpAddress", ColumnKind.Text, Nullable: true),
        [AccountField.FirstName] = new("FirstName", ColumnKind.Text, Nullable: true),
        [AccountField.LastName] = new("LastName", ColumnKind.Text, Nullable: true),
        [AccountField.DisplayName] = new("DisplayName", ColumnKind.Text, Nullable: true),
        [AccountField.Active] = new("Active", ColumnKind.Boolean, Nullable: false),
        [AccountField.Alias] = new("SmtpAddress", ColumnKind.Alias, Nullable: false),
        [AccountField.CreatedUtc] = new("CreatedUtc", ColumnKind.Timestamp, Nullable: false),
        [AccountField.ModifiedUtc] = new("ModifiedUtc", ColumnKind.Timestamp, Nullable: false),
    }.ToFrozenDictionary();

    /// <summary>The columns of the view the query reads besides the selected ones (keys and scoping).</summary>
    public static IReadOnlyList<string> KeyColumns { get; } = ["AccountId", "CustomerId", "VaultEntryId"];
}
