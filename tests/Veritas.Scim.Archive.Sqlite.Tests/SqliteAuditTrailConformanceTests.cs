using Veritas.Scim.Archive.Conformance;

namespace Veritas.Scim.Archive.Sqlite.Tests;

public sealed class SqliteAuditTrailConformanceTests(SqliteStoreFixture fixture)
    : AuditTrailConformanceTests(fixture), IClassFixture<SqliteStoreFixture>;
