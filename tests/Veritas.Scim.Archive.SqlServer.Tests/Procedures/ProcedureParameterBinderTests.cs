using System.Data;
using Microsoft.Data.SqlClient;
using Veritas.Scim.Archive.SqlServer.Procedures;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.SqlServer.Tests.Procedures;

public sealed class ProcedureParameterBinderTests
{
    [Fact]
    public void A_call_binds_every_declared_property_by_name()
    {
        var call = new UserDeleteCall(7, "V1", null, "tenant-a", "trace-1");

        var parameters = ProcedureParameterBinder.Bind(call);

        Assert.Equal(["CustomerId", "VaultEntryId", "ExpectedVersion", "TenantKey", "CorrelationId"], parameters.ParameterNames);
        Assert.Equal(7, parameters.Get<int>("CustomerId"));
        Assert.Null(parameters.Get<long?>("ExpectedVersion"));
    }

    [Fact]
    public void A_value_longer_than_its_column_is_refused_not_truncated()
    {
        var call = new UserFindByUserNameCall(1, new string('u', 257));

        var refused = Assert.Throws<ArgumentException>(() => ProcedureParameterBinder.Bind(call));
        Assert.Equal("UserName", refused.ParamName);
        Assert.DoesNotContain("uuuu", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(64)]
    public void A_token_hash_must_be_exactly_32_bytes(int length) =>
        Assert.Throws<ArgumentException>(() => ProcedureParameterBinder.Bind(new TenantResolveTokenCall(new byte[length])));

    [Fact]
    public void An_alias_longer_than_the_table_type_column_is_refused() =>
        Assert.Throws<ArgumentException>(() => new AliasListParameter([new string('a', 321)]));

    [Fact]
    public void Aliases_travel_as_the_versioned_alias_list_type_in_order_and_are_de_duplicated_by_the_database_not_here()
    {
        // "B@Example.com " equals "b@example.com" under the column's collation (case and trailing
        // spaces): which addresses are one is the database's decision, made inside the procedure.
        using var command = new SqlCommand();
        new AliasListParameter(["b@example.com", "a@example.com", "B@Example.com "]).AddParameter(command, "Aliases");

        var parameter = Assert.Single(command.Parameters.Cast<SqlParameter>());
        Assert.Equal(SqlDbType.Structured, parameter.SqlDbType);
        Assert.Equal("scim.AliasList_v2", parameter.TypeName);
        var records = Assert.IsAssignableFrom<IEnumerable<Microsoft.Data.SqlClient.Server.SqlDataRecord>>(parameter.Value).ToList();
        Assert.Equal(["b@example.com", "a@example.com", "B@Example.com "], records.Select(record => record.GetString(0)));
        Assert.Equal([0, 1, 2], records.Select(record => record.GetInt32(1)));
    }

    [Fact]
    public void An_empty_alias_list_is_sent_as_an_empty_table()
    {
        using var command = new SqlCommand();
        new AliasListParameter([]).AddParameter(command, "Aliases");

        Assert.Null(Assert.Single(command.Parameters.Cast<SqlParameter>()).Value);
    }

    [Fact]
    public void Rows_convert_to_the_port_types_with_utc_timestamps_and_ordered_aliases()
    {
        var row = new AccountRow
        {
            VaultEntryId = "V1",
            CustomerId = 3,
            UserName = "ann@example.com",
            AccountStatus = 1,
            ProvisioningSource = 3,
            HasUserMap = true,
            Version = 2001,
            CreatedUtc = new DateTime(2026, 11, 28, 10, 0, 0, DateTimeKind.Unspecified),
            ModifiedUtc = new DateTime(2026, 11, 28, 11, 0, 0, DateTimeKind.Unspecified),
            AliasesJson = """[{"SmtpAddress":"z@example.com"},{"SmtpAddress":"a\"b@example.com"}]""",
        };

        var account = row.ToArchiveAccount();

        Assert.Equal(AccountStatus.Disabled, account.Status);
        Assert.Equal(ProvisioningSource.Scim, account.Source);
        Assert.Equal(["z@example.com", "a\"b@example.com"], account.Aliases);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero), account.CreatedUtc);
        Assert.Empty(new AccountRow { AliasesJson = null }.ToArchiveAccount().Aliases);
    }
}
