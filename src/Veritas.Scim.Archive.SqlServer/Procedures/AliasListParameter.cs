using System.Data;
using Dapper;
using Microsoft.Data.SqlClient;
using Microsoft.Data.SqlClient.Server;
using Veritas.Scim.Translation.Archive;

namespace Veritas.Scim.Archive.SqlServer.Procedures;

/// <summary>An alias list sent as the table-valued parameter scim.AliasList_v2 (SmtpAddress, Ordinal).</summary>
/// <remarks>
/// Sent as given, one row per position: the procedures de-duplicate by the alias column's own
/// comparison (the collation decides which addresses are one address, not C#), and the table type
/// has no key that could refuse the call before the procedure's TRY block.
/// </remarks>
internal sealed class AliasListParameter(IReadOnlyList<string> addresses) : SqlMapper.ICustomQueryParameter
{
    public const string TableTypeName = "scim.AliasList_v2";

    /// <summary>The table type's columns in order, as this class sends them.</summary>
    public static IReadOnlyList<(string Name, SqlDbType Type, int Size)> Columns { get; } =
    [
        ("SmtpAddress", SqlDbType.NVarChar, ArchiveLimits.SmtpAddress),
        ("Ordinal", SqlDbType.Int, 0),
    ];

    private static readonly SqlMetaData[] Metadata =
    [
        new(Columns[0].Name, Columns[0].Type, Columns[0].Size),
        new(Columns[1].Name, Columns[1].Type),
    ];

    public IReadOnlyList<string> Addresses { get; } = Checked(addresses);

    public void AddParameter(IDbCommand command, string name)
    {
        ArgumentNullException.ThrowIfNull(command);
        var parameter = new SqlParameter(name, SqlDbType.Structured)
        {
            TypeName = TableTypeName,
            // SqlClient refuses an empty record sequence; null sends an empty table.
            Value = Addresses.Count == 0 ? null : Records(),
        };
        command.Parameters.Add(parameter);
    }

    private static IReadOnlyList<string> Checked(IReadOnlyList<string> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        if (addresses.Any(address => string.IsNullOrEmpty(address) || address.Length > Columns[0].Size))
        {
            throw new ArgumentException($"Every alias must be 1 to {Columns[0].Size} characters long.", nameof(addresses));
        }

        return addresses;
    }

    private IEnumerable<SqlDataRecord> Records()
    {
        for (var i = 0; i < Addresses.Count; i++)
        {
            var record = new SqlDataRecord(Metadata);
            record.SetString(0, Addresses[i]);
            record.SetInt32(1, i);
            yield return record;
        }
    }
}
