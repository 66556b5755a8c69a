using Veritas.Scim.Archive.Conformance;

namespace Veritas.Scim.Archive.SqlServer.Tests;

/// <summary>The filter conformance suite against SQL Server (skipped without Docker or a connection string).</summary>
public sealed class SqlServerFilterConformanceTests(SqlServerStoreFixture fixture) : FilterConformanceTests(fixture), IClassFixture<SqlServerStoreFixture>;
