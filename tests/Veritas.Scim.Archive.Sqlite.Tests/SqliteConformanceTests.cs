using Veritas.Scim.Archive.Conformance;

namespace Veritas.Scim.Archive.Sqlite.Tests;

public sealed class SqliteConformanceTests(SqliteStoreFixture fixture)
    : ArchiveStoreConformanceTests(fixture), IClassFixture<SqliteStoreFixture>;
