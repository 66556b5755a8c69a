namespace Veritas.Scim.Archive.Sqlite.Tests;

public sealed class SqliteArchiveStoreOptionsTests
{
    [Fact]
    public void A_file_path_is_valid()
    {
        Assert.Empty(new SqliteArchiveStoreOptions { DataSource = "data/archive.db" }.Validate());
        Assert.Empty(new SqliteArchiveStoreOptions { ConnectionString = "Data Source=data/archive.db;Cache=Shared" }.Validate());
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData(" ", null)]
    [InlineData(":memory:", null)]
    [InlineData(null, "Data Source=x.db;Mode=Memory")]
    [InlineData(null, "Data Source=x.db;Mode=ReadOnly")]
    [InlineData(null, "Cache=Shared")]
    [InlineData(null, "Not A Keyword=1")]
    public void Settings_that_cannot_hold_a_durable_archive_are_refused(string? dataSource, string? connectionString)
    {
        var options = new SqliteArchiveStoreOptions { DataSource = dataSource, ConnectionString = connectionString };

        Assert.NotEmpty(options.Validate());
        Assert.Throws<ArgumentException>(() => new SqliteArchiveDatabase(options));
    }

    [Fact]
    public void The_busy_timeout_must_be_positive()
    {
        Assert.NotEmpty(new SqliteArchiveStoreOptions { DataSource = "a.db", BusyTimeout = TimeSpan.Zero }.Validate());
    }

    [Fact]
    public void The_connection_string_always_enforces_foreign_keys()
    {
        var builder = new SqliteArchiveStoreOptions { ConnectionString = "Data Source=a.db;Foreign Keys=False" }.BuildConnectionStringBuilder();

        Assert.True(builder.ForeignKeys);
    }
}
