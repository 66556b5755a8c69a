using System.Data;
using Dapper;
using Microsoft.Data.SqlClient;
using Microsoft.Data.SqlClient.Server;

namespace Veritas.Scim.Archive.SqlServer.Procedures;

/// <summary>An alias list sent as the table-valued parameter scim.AliasList (SmtpAddress, Ordinal).</summary>
/// <remarks>
/// The translation layer sends a de-duplicated list; duplicates that differ only in case are
/// dropped here as well, because the table type's key would otherwise refuse the whole call.
/// </remarks>
internal sealed class AliasListParameter(IReadOnlyList<string> addresses) : SqlMapper.ICustomQueryParameter
{
    public const string TableTypeName = "scim.AliasList";

    /// <summary>The table type's columns in order, as this class sends them.</summary>
    public static IReadOnlyList<(string Name, SqlDbType Type, int Size)> Columns { get; } =
    [
        ("SmtpAddress", SqlDbType.NVarChar, 320),
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

    private static List<string> Checked(IReadOnlyList<string> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var distinct = addresses.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (distinct.Any(address => string.IsNullOrEmpty(address) || address.Length > Columns[0].Size))
        {
            throw new ArgumentException($"Every alias must be 1 to {Columns[0].Size} characters long.", nameof(addresses));
        }

        return distinct;
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
