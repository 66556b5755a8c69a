using Veritas.Scim.Archive.Conformance;

namespace Veritas.Scim.Archive.SqlServer.Tests;

/// <summary>The shared store conformance suite against SQL Server (skipped without Docker or a connection string).</summary>
public sealed class SqlServerConformanceTests(SqlServerStoreFixture fixture) : ArchiveStoreConformanceTests(fixture), IClassFixture<SqlServerStoreFixture>;
