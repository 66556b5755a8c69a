using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Veritas.Scim.Protocol.Filtering;
using Veritas.Scim.Protocol.Resources;
using Veritas.Scim.Protocol.Schemas;

namespace Veritas.Scim.Protocol.Querying;

/// <summary>
/// <c>sortBy</c> / <c>sortOrder</c> of RFC 7644 §3.4.2.3: resources compare by the attribute's
/// value (a multi-valued attribute by its primary value, else its first), strings by the
/// attribute's caseExact, date-times as instants; resources without a value sort last when
/// ascending and first when descending.
/// </summary>
public sealed class ResourceSorter : IComparer<JsonObject>
{
    private readonly ScimResourceSchema _schema;
    private readonly AttributePath _sortBy;
    private readonly bool _descending;
    private readonly ScimAttributeDefinition? _definition;

    public ResourceSorter(ScimResourceSchema schema, AttributePath sortBy, bool descending)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(sortBy);
        _schema = schema;
        _sortBy = sortBy;
        _descending = descending;
        var resolved = schema.Resolve(sortBy);
        _definition = resolved is null
            ? null
            : resolved.SubAttribute ?? (resolved.Attribute.Type == ScimAttributeType.Complex ? resolved.Attribute.FindSubAttribute("value") : resolved.Attribute);
    }

    public int Compare(JsonObject? x, JsonObject? y)
    {
        var left = x is null ? null : ResourceNavigator.GetRepresentativeValue(x, _schema, _sortBy) as JsonValue;
        var right = y is null ? null : ResourceNavigator.GetRepresentativeValue(y, _schema, _sortBy) as JsonValue;
        if (left is null || right is null)
        {
            // Missing values go last in ascending order, and so first in descending order.
            var missing = (left is null ? 1 : 0) - (right is null ? 1 : 0);
            return _descending ? -missing : missing;
        }

        var order = CompareValues(left, right);
        return _descending ? -order : order;
    }

    private int CompareValues(JsonValue left, JsonValue right)
    {
        var leftKind = left.GetValueKind();
        var rightKind = right.GetValueKind();
        if (leftKind == JsonValueKind.Number && rightKind == JsonValueKind.Number)
        {
            return left.GetValue<decimal>().CompareTo(right.GetValue<decimal>());
        }

        if (leftKind != JsonValueKind.String || rightKind != JsonValueKind.String)
        {
            return string.CompareOrdinal(left.ToJsonString(), right.ToJsonString());
        }

        var leftText = left.GetValue<string>();
        var rightText = right.GetValue<string>();
        if (_definition?.Type == ScimAttributeType.DateTime
            && DateTimeOffset.TryParse(leftText, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var leftTime)
            && DateTimeOffset.TryParse(rightText, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var rightTime))
        {
            return leftTime.CompareTo(rightTime);
        }

        return _definition?.CaseExact == true
            ? string.CompareOrdinal(leftText, rightText)
            : string.Compare(leftText, rightText, StringComparison.OrdinalIgnoreCase);
    }
}
