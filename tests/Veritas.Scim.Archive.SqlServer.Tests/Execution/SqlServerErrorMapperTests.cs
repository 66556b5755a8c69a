using Veritas.Scim.Archive.SqlServer.Execution;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.SqlServer.Tests.Execution;

public sealed class SqlServerErrorMapperTests
{
    [Theory]
    [InlineData(50001, ArchiveStoreError.NotFound)]
    [InlineData(50002, ArchiveStoreError.UserNameTaken)]
    [InlineData(50003, ArchiveStoreError.AliasTaken)]
    [InlineData(50004, ArchiveStoreError.VersionMismatch)]
    [InlineData(50005, ArchiveStoreError.TenantNotFound)]
    [InlineData(50006, ArchiveStoreError.TenantExists)]
    [InlineData(50007, ArchiveStoreError.TokenExists)]
    public void Documented_procedure_errors_become_typed_store_errors(int number, ArchiveStoreError expected)
    {
        var sqlException = SqlExceptionFactory.Create(number, "procedure said so");

        Assert.True(SqlServerErrorMapper.TryMap(sqlException, out var mapped));
        Assert.Equal(expected, mapped.Error);
        Assert.Same(sqlException, mapped.InnerException);
    }

    [Fact]
    public void An_alias_conflict_names_the_address()
    {
        var mapped = SqlServerErrorMapper.Map(50003, SqlServerErrorMapper.AliasTakenMessagePrefix + "Shared@Example.com", null);

        Assert.NotNull(mapped);
        Assert.Equal(ArchiveStoreError.AliasTaken, mapped.Error);
        Assert.Equal("Shared@Example.com", mapped.Address);
    }

    [Theory]
    [InlineData(2627)]
    [InlineData(2601)]
    [InlineData(547)]
    [InlineData(1205)]
    [InlineData(50000)]
    [InlineData(50008)]
    [InlineData(50009)]
    public void Other_errors_are_left_as_they_are(int number)
    {
        Assert.False(SqlServerErrorMapper.TryMap(SqlExceptionFactory.Create(number), out var mapped));
        Assert.Null(mapped);
    }
}
