using System.Data.Common;
using System.Text.Json;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.Sqlite;

/// <summary>
/// The one projection of an account row (with its live aliases as a JSON array, so an account
/// and its aliases arrive in one statement) and its mapping. Columns are read by position.
/// </summary>
internal static class AccountRows
{
    /// <summary>The select list over <c>ArchiveAccount AS a LEFT JOIN UserMap AS m</c>.</summary>
    public const string Columns = $"""
        a.VaultEntryId, a.CustomerId, a.UserName, a.PrimarySmtpAddress, a.FirstName, a.LastName,
        a.DisplayName, a.AccountStatus, a.ProvisioningSource, m.ExternalId,
        (SELECT json_group_array(l.SmtpAddress ORDER BY l.AliasId) FROM ArchiveAccountAlias AS l INDEXED BY {SqliteIndexes.AliasByAccount}
          WHERE l.AccountId = a.AccountId AND l.RemovedUtc IS NULL) AS AliasesJson,
        m.ScimAttributesJson, m.AccountId IS NOT NULL AS HasUserMap, a.Version, a.CreatedUtc, a.ModifiedUtc
        """;

    /// <summary>The number of columns in <see cref="Columns"/>; a query may add its own after them.</summary>
    public const int ColumnCount = 16;

    public const string From = "ArchiveAccount AS a LEFT JOIN UserMap AS m ON m.AccountId = a.AccountId";

    /// <summary><see cref="From"/> with the account read by its id (the unique VaultEntryId index).</summary>
    public const string FromById = $"ArchiveAccount AS a INDEXED BY {SqliteIndexes.AccountByVaultEntryId} LEFT JOIN UserMap AS m ON m.AccountId = a.AccountId";

    public static ArchiveAccount Map(DbDataReader reader) => new(
        VaultEntryId: reader.GetString(0),
        CustomerId: reader.GetInt32(1),
        UserName: reader.GetString(2),
        PrimarySmtpAddress: NullableString(reader, 3),
        FirstName: NullableString(reader, 4),
        LastName: NullableString(reader, 5),
        DisplayName: NullableString(reader, 6),
        Status: (AccountStatus)reader.GetInt32(7),
        Source: (ProvisioningSource)reader.GetInt32(8),
        ExternalId: NullableString(reader, 9),
        Aliases: ParseAliases(reader.GetString(10)),
        ScimAttributesJson: NullableString(reader, 11),
        HasUserMap: reader.GetInt64(12) != 0,
        Version: reader.GetInt64(13),
        CreatedUtc: SqliteTimestamps.Parse(reader.GetString(14)),
        ModifiedUtc: SqliteTimestamps.Parse(reader.GetString(15)));

    /// <summary>The alias list as the batches pass it to <c>json_each</c>.</summary>
    public static string ToJson(IReadOnlyList<string> aliases) => JsonSerializer.Serialize(aliases);

    private static string[] ParseAliases(string json)
        => json == "[]" ? [] : JsonSerializer.Deserialize<string[]>(json) ?? [];

    private static string? NullableString(DbDataReader reader, int ordinal)
        => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
