using Veritas.Scim.Archive.Conformance;

namespace Veritas.Scim.Archive.Sqlite.Tests;

public sealed class SqliteFilterConformanceTests(SqliteStoreFixture fixture)
    : FilterConformanceTests(fixture), IClassFixture<SqliteStoreFixture>;
