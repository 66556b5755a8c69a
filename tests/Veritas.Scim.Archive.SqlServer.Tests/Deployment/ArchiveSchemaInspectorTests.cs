using CsCheck;
using Microsoft.SqlServer.Dac.Model;
using Veritas.Scim.Archive.SqlServer.Tests.Sql;
using Index = Microsoft.SqlServer.Dac.Model.Index;

namespace Veritas.Scim.Archive.SqlServer.Tests.Deployment;

/// <summary>
/// The comparison of <see cref="ArchiveSchemaInspector"/> against catalog rows written by hand as
/// sys.columns and sys.indexes report sql/legacy on SQL Server (max_length in bytes, nvarchar two
/// per character, filter definitions as the server normalises them): an independent oracle of
/// the expected shape, then one deliberate difference at a time.
/// </summary>
public sealed class ArchiveSchemaInspectorTests(SqlModelFixture sql) : IClassFixture<SqlModelFixture>
{
    private const string DatabaseCollation = "SQL_Latin1_General_CP1_CI_AS";

    [Fact]
    public void The_legacy_schema_as_sql_server_reports_it_is_clean()
    {
        var report = ArchiveSchemaInspector.Compare(Clean(), requireModules: true);
        Assert.True(report.Findings.Count == 0, report.ToString());
        Assert.True(report.IsAcceptable);
    }

    [Fact]
    public void A_column_with_another_case_insensitive_collation_is_an_error_naming_msg_468_and_the_fix()
    {
        var report = Compare(Clean() with { Columns = Replace(Clean().Columns, "dbo.ArchiveAccountAlias", "SmtpAddress", c => c with { Collation = "Latin1_General_100_CI_AS" }) });

        var finding = Assert.Single(report.Errors);
        Assert.Equal("dbo.ArchiveAccountAlias.SmtpAddress", finding.Subject);
        Assert.Contains("468", finding.Problem, StringComparison.Ordinal);
        Assert.Contains($"COLLATE {DatabaseCollation}", finding.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void A_case_sensitive_user_name_column_is_an_error()
    {
        var report = Compare(Clean() with { Columns = Replace(Clean().Columns, "dbo.ArchiveAccount", "UserName", c => c with { Collation = "SQL_Latin1_General_CP1_CS_AS" }) });

        var finding = Assert.Single(report.Errors);
        Assert.Equal("dbo.ArchiveAccount.UserName", finding.Subject);
        Assert.Contains("case-sensitive", finding.Problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Latin1_General_BIN2")]
    [InlineData("Latin1_General_100_CS_AS_SC_UTF8")]
    [InlineData("Japanese_XJIS_140_BIN")]
    public void Binary_and_case_sensitive_collations_are_not_case_insensitive(string collation) =>
        Assert.False(ArchiveSchemaInspector.IsCaseInsensitive(collation));

    [Fact]
    public void Varchar_where_nvarchar_is_expected_is_an_error_about_scans()
    {
        var report = Compare(Clean() with { Columns = Replace(Clean().Columns, "dbo.ArchiveAccount", "PrimarySmtpAddress", c => c with { TypeName = "varchar", MaxLength = 320 }) });

        var finding = Assert.Single(report.Errors);
        Assert.Equal("dbo.ArchiveAccount.PrimarySmtpAddress", finding.Subject);
        Assert.Contains("scan", finding.Problem, StringComparison.Ordinal);
        Assert.Contains("ALTER COLUMN PrimarySmtpAddress nvarchar(320) NULL", finding.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void A_narrower_column_is_an_error_and_a_wider_or_max_one_is_not()
    {
        var narrower = Compare(Clean() with { Columns = Replace(Clean().Columns, "dbo.ArchiveAccount", "UserName", c => c with { MaxLength = 200 }) });
        var wider = Compare(Clean() with { Columns = Replace(Clean().Columns, "dbo.ArchiveAccount", "UserName", c => c with { MaxLength = 1024 }) });
        var max = Compare(Clean() with { Columns = Replace(Clean().Columns, "dbo.ArchiveAccount", "DisplayName", c => c with { MaxLength = -1 }) });

        Assert.Contains("holds 100 characters", Assert.Single(narrower.Errors).Problem, StringComparison.Ordinal);
        Assert.Empty(wider.Findings);
        Assert.Empty(max.Findings);
    }

    [Fact]
    public void A_not_null_column_the_procedures_write_null_into_is_an_error()
    {
        var report = Compare(Clean() with { Columns = Replace(Clean().Columns, "dbo.ArchiveAccount", "FirstName", c => c with { IsNullable = false }) });
        Assert.Equal("dbo.ArchiveAccount.FirstName", Assert.Single(report.Errors).Subject);
    }

    [Fact]
    public void A_missing_column_or_table_is_one_error_each()
    {
        var noColumn = Compare(Clean() with { Columns = Clean().Columns.Where(c => !(c.Table == "dbo.ArchiveAccount" && c.Column == "RowVer")).ToList() });
        var noTable = Compare(Clean() with { Columns = Clean().Columns.Where(c => c.Table != "dbo.Archive").ToList() });

        Assert.Equal("dbo.ArchiveAccount.RowVer", Assert.Single(noColumn.Errors).Subject);
        Assert.Equal("dbo.Archive", Assert.Single(noTable.Errors).Subject);
    }

    [Fact]
    public void A_renamed_unique_index_is_recognised_by_its_shape()
    {
        var renamed = Clean() with
        {
            Indexes = Clean().Indexes.Select(i => i.Name.StartsWith("UX_", StringComparison.Ordinal) ? i with { Name = "IX_Prod_" + i.Name.GetHashCode(StringComparison.Ordinal) } : i).ToList(),
        };
        Assert.Empty(Compare(renamed).Findings);
    }

    [Theory]
    [InlineData("UX_ArchiveAccount_CustomerId_UserName_Live", "dbo.ArchiveAccount (CustomerId, UserName) WHERE AccountStatus <> 2")]
    [InlineData("UX_ArchiveAccountAlias_CustomerId_SmtpAddress_Live", "dbo.ArchiveAccountAlias (CustomerId, SmtpAddress) WHERE RemovedUtc IS NULL")]
    public void A_missing_filtered_unique_index_is_an_error_with_its_create_statement(string index, string subject)
    {
        var report = Compare(Clean() with { Indexes = Clean().Indexes.Where(i => i.Name != index).ToList() });

        var finding = Assert.Single(report.Errors);
        Assert.Equal(subject, finding.Subject);
        Assert.StartsWith("CREATE UNIQUE INDEX ", finding.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void A_unique_index_that_is_not_unique_or_has_another_filter_is_an_error()
    {
        var notUnique = Compare(Clean() with { Indexes = Replace(Clean().Indexes, "UX_ArchiveAccount_CustomerId_UserName_Live", i => i with { IsUnique = false }) });
        var otherFilter = Compare(Clean() with { Indexes = Replace(Clean().Indexes, "UX_ArchiveAccountAlias_CustomerId_SmtpAddress_Live", i => i with { FilterDefinition = null }) });

        Assert.Contains("not unique", Assert.Single(notUnique.Errors).Problem, StringComparison.Ordinal);
        Assert.Single(otherFilter.Errors);
    }

    [Fact]
    public void An_index_without_the_columns_its_checks_re_read_is_a_warning_not_an_error()
    {
        var report = Compare(Clean() with { Indexes = Replace(Clean().Indexes, "UX_ArchiveAccountAlias_CustomerId_SmtpAddress_Live", i => i with { IncludedColumns = [] }) });

        Assert.True(report.IsAcceptable);
        var warning = Assert.Single(report.Warnings);
        Assert.Contains("AccountId, RemovedUtc", warning.Problem, StringComparison.Ordinal);
        Assert.EndsWith("WITH (DROP_EXISTING = ON);", warning.Fix, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void A_module_created_without_quoted_identifier_or_ansi_nulls_is_an_error(bool quotedIdentifier, bool ansiNulls)
    {
        var report = Compare(Clean() with { Modules = [.. Clean().Modules, new ModuleFact("usp_User_Create", quotedIdentifier, ansiNulls)] });
        Assert.Equal("scim.usp_User_Create", Assert.Single(report.Errors).Subject);
    }

    [Fact]
    public void Without_deployed_modules_only_a_check_that_requires_them_complains()
    {
        var facts = Clean() with { Modules = [] };
        Assert.Empty(ArchiveSchemaInspector.Compare(facts, requireModules: false).Findings);
        Assert.Equal("schema scim", Assert.Single(ArchiveSchemaInspector.Compare(facts, requireModules: true).Errors).Subject);
    }

    [Fact]
    public void Database_settings_read_committed_snapshot_is_a_warning_and_collation_and_level_are_errors()
    {
        var clean = Clean();
        Assert.Single(Compare(clean with { Database = clean.Database with { ReadCommittedSnapshot = false } }).Warnings);
        Assert.True(Compare(clean with { Database = clean.Database with { ReadCommittedSnapshot = false } }).IsAcceptable);
        Assert.Single(Compare(clean with { Database = clean.Database with { CompatibilityLevel = 120 } }).Errors);
        // A case-sensitive database: the database finding, and every compared column differs from it.
        Assert.Contains(Compare(clean with { Database = clean.Database with { Collation = "Latin1_General_CS_AS" } }).Errors, f => f.Subject == "database");
    }

    [Fact]
    public void Any_single_mutation_of_a_relied_on_column_is_reported_under_its_name()
    {
        var relied = ArchiveSchemaShape.Columns.Where(c => c.Length is not null).ToList();
        Gen.Select(Gen.Int[0, relied.Count - 1], Gen.Int[0, 2]).Sample((which, how) =>
        {
            var target = relied[which];
            var mutated = Replace(Clean().Columns, target.Table, target.Column, c => how switch
            {
                0 => c with { TypeName = "varchar", MaxLength = c.MaxLength / 2 },
                1 => c with { MaxLength = 2 },
                _ => c with { TypeName = "int", MaxLength = 4, Collation = null },
            });
            return Compare(Clean() with { Columns = mutated }).Errors.Any(f => f.Subject == $"{target.Table}.{target.Column}");
        });
    }

    [Fact]
    public void The_expected_shape_is_what_sql_legacy_defines()
    {
        foreach (var expected in ArchiveSchemaShape.Columns)
        {
            var parts = expected.Table.Split('.');
            var column = sql.Get(Table.TypeClass, parts)?.GetReferenced(Table.Columns).SingleOrDefault(c => c.Name.Parts[^1] == expected.Column);
            Assert.True(column is not null, $"{expected.Table}.{expected.Column} is not in sql/legacy.");
            var type = column.GetReferenced(Column.DataType).Single().Name.Parts[^1];
            Assert.Equal(expected.Type == "timestamp" ? "rowversion" : expected.Type, type);
            if (expected.Length is { } length)
            {
                Assert.Equal(length, column.GetProperty<int>(Column.Length));
            }

            if (expected.MustBeNullable)
            {
                Assert.True(column.GetProperty<bool>(Column.Nullable), $"{expected.Table}.{expected.Column} must be nullable.");
            }
        }

        foreach (var expected in ArchiveSchemaShape.Indexes)
        {
            var parts = expected.Table.Split('.');
            var table = sql.Get(Table.TypeClass, parts);
            Assert.NotNull(table);
            var match = table.GetReferencing(Index.IndexedObject)
                .Where(index => index.GetReferenced(Index.Columns).Select(c => c.Name.Parts[^1]).SequenceEqual(expected.KeyColumns))
                .Where(index => !expected.Unique || index.GetProperty<bool>(Index.Unique))
                .Where(index => ArchiveSchemaInspector.NormaliseFilter(FilterOf(index.GetScript()))
                    == ArchiveSchemaInspector.NormaliseFilter(expected.Filter ?? string.Empty));
            // A UNIQUE constraint is an index on the server, a constraint in the model.
            var constraint = expected.Filter is null && table.GetReferencing(UniqueConstraint.Host)
                .Any(unique => unique.GetReferenced(UniqueConstraint.Columns).Select(c => c.Name.Parts[^1]).SequenceEqual(expected.KeyColumns));
            Assert.True(match.Any() || constraint, $"sql/legacy has no index {expected.Table} ({string.Join(", ", expected.KeyColumns)}).");
        }
    }

    private static string FilterOf(string indexScript)
    {
        var where = indexScript.IndexOf(" WHERE ", StringComparison.OrdinalIgnoreCase);
        return where < 0 ? string.Empty : indexScript[(where + " WHERE ".Length)..].Trim().TrimEnd(';');
    }

    private static ArchiveSchemaReport Compare(ArchiveSchemaFacts facts) => ArchiveSchemaInspector.Compare(facts, requireModules: true);

    private static List<ColumnFact> Replace(IReadOnlyList<ColumnFact> columns, string table, string column, Func<ColumnFact, ColumnFact> change) =>
        columns.Select(c => c.Table == table && c.Column == column ? change(c) : c).ToList();

    private static List<IndexFact> Replace(IReadOnlyList<IndexFact> indexes, string name, Func<IndexFact, IndexFact> change) =>
        indexes.Select(i => i.Name == name ? change(i) : i).ToList();

    /// <summary>sql/legacy (with legacy/0002's INCLUDEs) as sys.columns and sys.indexes show it, written out by hand.</summary>
    /// <summary>The catalog of sql/legacy as SQL Server reports it, with nothing wrong.</summary>
    internal static ArchiveSchemaFacts Clean()
    {
        static ColumnFact Text(string table, string column, int characters, bool nullable = false) =>
            new(table, column, "nvarchar", characters * 2, nullable, DatabaseCollation);
        static ColumnFact Fixed(string table, string column, string type, int bytes, bool nullable = false) =>
            new(table, column, type, bytes, nullable, null);

        ColumnFact[] columns =
        [
            Fixed("dbo.Customer", "CustomerId", "int", 4),
            Fixed("dbo.Customer", "CustomerGuid", "uniqueidentifier", 16),
            Text("dbo.Customer", "Name", 200),
            Text("dbo.Customer", "DataCenter", 32),
            Fixed("dbo.Customer", "Status", "tinyint", 1),
            Fixed("dbo.ArchiveAccount", "AccountId", "int", 4),
            Fixed("dbo.ArchiveAccount", "CustomerId", "int", 4),
            Text("dbo.ArchiveAccount", "VaultEntryId", 64),
            Text("dbo.ArchiveAccount", "UserName", 256),
            Text("dbo.ArchiveAccount", "PrimarySmtpAddress", 320, nullable: true),
            Text("dbo.ArchiveAccount", "FirstName", 128, nullable: true),
            Text("dbo.ArchiveAccount", "LastName", 128, nullable: true),
            Text("dbo.ArchiveAccount", "DisplayName", 256, nullable: true),
            Fixed("dbo.ArchiveAccount", "AccountStatus", "tinyint", 1),
            Fixed("dbo.ArchiveAccount", "LoginLocked", "bit", 1),
            Fixed("dbo.ArchiveAccount", "ArchivingEnabled", "bit", 1),
            Fixed("dbo.ArchiveAccount", "PersonalArchiveEnabled", "bit", 1),
            Fixed("dbo.ArchiveAccount", "ProvisioningSource", "tinyint", 1),
            Fixed("dbo.ArchiveAccount", "RowVer", "timestamp", 8),
            Fixed("dbo.ArchiveAccount", "CreatedUtc", "datetime2", 7),
            Fixed("dbo.ArchiveAccount", "ModifiedUtc", "datetime2", 7),
            Fixed("dbo.Archive", "ArchiveId", "int", 4),
            Fixed("dbo.Archive", "AccountId", "int", 4),
            Text("dbo.Archive", "ArchiveName", 256),
            Fixed("dbo.Archive", "CreatedUtc", "datetime2", 7),
            Fixed("dbo.Archive", "HoldCount", "int", 4),
            Fixed("dbo.ArchiveAccountAlias", "AliasId", "int", 4),
            Fixed("dbo.ArchiveAccountAlias", "AccountId", "int", 4),
            Fixed("dbo.ArchiveAccountAlias", "CustomerId", "int", 4),
            Text("dbo.ArchiveAccountAlias", "SmtpAddress", 320),
            Fixed("dbo.ArchiveAccountAlias", "Source", "tinyint", 1),
            Fixed("dbo.ArchiveAccountAlias", "AddedUtc", "datetime2", 7),
            Fixed("dbo.ArchiveAccountAlias", "RemovedUtc", "datetime2", 7, nullable: true),
        ];
        IndexFact[] indexes =
        [
            new("dbo.ArchiveAccount", "PK_ArchiveAccount", true, ["AccountId"], [], null),
            new("dbo.ArchiveAccount", "UQ_ArchiveAccount_VaultEntryId", true, ["VaultEntryId"], [], null),
            new("dbo.ArchiveAccount", "UQ_ArchiveAccount_AccountId_CustomerId", true, ["AccountId", "CustomerId"], [], null),
            new("dbo.ArchiveAccount", "UX_ArchiveAccount_CustomerId_UserName_Live", true, ["CustomerId", "UserName"], ["AccountStatus"], "([AccountStatus]<>(2))"),
            new("dbo.ArchiveAccount", "IX_ArchiveAccount_CustomerId_PrimarySmtpAddress", false, ["CustomerId", "PrimarySmtpAddress"], [], null),
            new("dbo.ArchiveAccountAlias", "PK_ArchiveAccountAlias", true, ["AliasId"], [], null),
            new("dbo.ArchiveAccountAlias", "UX_ArchiveAccountAlias_CustomerId_SmtpAddress_Live", true, ["CustomerId", "SmtpAddress"], ["AccountId", "RemovedUtc"], "([RemovedUtc] IS NULL)"),
            new("dbo.ArchiveAccountAlias", "IX_ArchiveAccountAlias_AccountId", false, ["AccountId"], ["SmtpAddress", "RemovedUtc"], null),
        ];
        return new ArchiveSchemaFacts(
            new DatabaseFact("VeritasArchive", DatabaseCollation, ReadCommittedSnapshot: true, CompatibilityLevel: 160),
            columns,
            indexes,
            [new ModuleFact("usp_User_Create", true, true), new ModuleFact("vw_ScimUser", true, true)]);
    }
}
