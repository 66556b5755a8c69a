using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.SqlServer;

/// <summary>A legacy column the procedures read or write.</summary>
/// <param name="Type">The system type name as sys.columns reports it (TYPE_NAME(system_type_id); rowversion is "timestamp").</param>
/// <param name="Length">For text: the least width in characters the values need (ArchiveLimits); null otherwise.</param>
/// <param name="MustBeNullable">The procedures write NULL into it (or test IS NULL).</param>
/// <param name="ComparedByCollation">User names and addresses are matched through this column's collation.</param>
internal sealed record ExpectedColumn(string Table, string Column, string Type, int? Length, bool MustBeNullable = false, bool ComparedByCollation = false);

/// <summary>A legacy index the procedures rely on, recognised by its shape (keys, uniqueness, filter), never by its name.</summary>
/// <param name="Filter">The filter predicate, or null for an unfiltered index.</param>
/// <param name="Includes">Columns that keep its seeks free of key lookups (missing ones are a warning).</param>
/// <param name="Unique">Whether the procedures' guarantees need it unique.</param>
/// <param name="Missing">What a missing index breaks; an error when <paramref name="Unique"/>, otherwise a warning.</param>
internal sealed record ExpectedIndex(string Table, IReadOnlyList<string> KeyColumns, string? Filter, IReadOnlyList<string> Includes, bool Unique, string Missing);

/// <summary>
/// The one description of what the scim procedures need of the archive's dbo tables, derived from
/// sql/legacy (a test compares it with the DacFx model of those scripts) and
/// <see cref="ArchiveLimits"/>. The deployer and `db check` compare the real database with it.
/// </summary>
internal static class ArchiveSchemaShape
{
    public const string Account = "dbo.ArchiveAccount";
    public const string Alias = "dbo.ArchiveAccountAlias";
    public const string Customer = "dbo.Customer";
    public const string Archive = "dbo.Archive";

    /// <summary>OPENJSON and FOR JSON (the procedures and the view) need compatibility level 130.</summary>
    public const int MinimumCompatibilityLevel = 130;

    public static IReadOnlyList<ExpectedColumn> Columns { get; } =
    [
        new(Customer, "CustomerId", "int", null),
        new(Customer, "Name", "nvarchar", ArchiveLimits.CustomerName, ComparedByCollation: true),

        new(Account, "AccountId", "int", null),
        new(Account, "CustomerId", "int", null),
        new(Account, "VaultEntryId", "nvarchar", ArchiveLimits.VaultEntryId),
        new(Account, "UserName", "nvarchar", ArchiveLimits.UserName, ComparedByCollation: true),
        new(Account, "PrimarySmtpAddress", "nvarchar", ArchiveLimits.SmtpAddress, MustBeNullable: true, ComparedByCollation: true),
        new(Account, "FirstName", "nvarchar", ArchiveLimits.FirstName, MustBeNullable: true),
        new(Account, "LastName", "nvarchar", ArchiveLimits.LastName, MustBeNullable: true),
        new(Account, "DisplayName", "nvarchar", ArchiveLimits.DisplayName, MustBeNullable: true),
        new(Account, "AccountStatus", "tinyint", null),
        new(Account, "LoginLocked", "bit", null),
        new(Account, "ArchivingEnabled", "bit", null),
        new(Account, "PersonalArchiveEnabled", "bit", null),
        new(Account, "ProvisioningSource", "tinyint", null),
        new(Account, "RowVer", "timestamp", null),
        new(Account, "CreatedUtc", "datetime2", null),
        new(Account, "ModifiedUtc", "datetime2", null),

        // ArchiveName takes COALESCE(DisplayName, UserName).
        new(Archive, "ArchiveId", "int", null),
        new(Archive, "AccountId", "int", null),
        new(Archive, "ArchiveName", "nvarchar", Math.Max(ArchiveLimits.DisplayName, ArchiveLimits.UserName)),
        new(Archive, "CreatedUtc", "datetime2", null),
        new(Archive, "HoldCount", "int", null),

        new(Alias, "AliasId", "int", null),
        new(Alias, "AccountId", "int", null),
        new(Alias, "CustomerId", "int", null),
        new(Alias, "SmtpAddress", "nvarchar", ArchiveLimits.SmtpAddress, ComparedByCollation: true),
        new(Alias, "Source", "tinyint", null),
        new(Alias, "AddedUtc", "datetime2", null),
        new(Alias, "RemovedUtc", "datetime2", null, MustBeNullable: true),
    ];

    public static IReadOnlyList<ExpectedIndex> Indexes { get; } =
    [
        new(Account, ["CustomerId", "UserName"], "AccountStatus <> 2", ["AccountStatus"], Unique: true,
            "one live account per user name is not guaranteed, and the user name check range-scans instead of seeking"),
        new(Alias, ["CustomerId", "SmtpAddress"], "RemovedUtc IS NULL", ["AccountId", "RemovedUtc"], Unique: true,
            "one live owner per address is not guaranteed, and the alias check (FORCESEEK) has no index to seek"),
        new(Account, ["VaultEntryId"], null, [], Unique: true,
            "the SCIM id is not guaranteed unique, and reads by id scan"),
        new(Alias, ["AccountId"], null, ["SmtpAddress", "RemovedUtc"], Unique: false,
            "reading an account's aliases scans the alias table"),
        new(Account, ["CustomerId", "PrimarySmtpAddress"], null, [], Unique: false,
            "lookups by primary address scan the customer's accounts"),
    ];
}
