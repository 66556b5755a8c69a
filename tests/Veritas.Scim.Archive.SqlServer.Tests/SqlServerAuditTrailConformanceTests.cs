using Veritas.Scim.Archive.Conformance;

namespace Veritas.Scim.Archive.SqlServer.Tests;

public sealed class SqlServerAuditTrailConformanceTests(SqlServerStoreFixture fixture)
    : AuditTrailConformanceTests(fixture), IClassFixture<SqlServerStoreFixture>;
