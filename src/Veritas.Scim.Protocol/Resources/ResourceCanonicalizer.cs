using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Veritas.Scim.Protocol.Errors;
using Veritas.Scim.Protocol.Filtering;
using Veritas.Scim.Protocol.Schemas;

namespace Veritas.Scim.Protocol.Resources;

/// <summary>
/// Turns JSON as clients send it into the canonical in-memory form every other part of the
/// library works on: canonical attribute names (RFC 7643 §2.1 makes them case-insensitive),
/// extension attributes under their schema URN, booleans that arrived as strings made booleans,
/// values checked against their type. Attributes no schema defines are kept verbatim so that
/// nothing a client sends is dropped. This is the one place that does it: resource bodies and
/// PATCH values both come through here.
/// </summary>
public static class ResourceCanonicalizer
{
    /// <summary>
    /// The most values one multi-valued attribute may have (a user's e-mails, phone numbers, …;
    /// Entra sends a few). The bound keeps what a PATCH costs small: adding a value compares it with
    /// every value there, and a value filter is evaluated over each of them.
    /// </summary>
    public const int MaxValuesPerAttribute = 100;

    /// <summary>The sub-attribute RFC 7643 §2.4 allows "true" in at most one value of a multi-valued attribute.</summary>
    internal const string PrimarySubAttribute = "primary";

    /// <summary>
    /// Canonicalises a whole resource body (POST, PUT). The result's <c>schemas</c> lists the core
    /// schema and every extension whose attributes are present, since Entra sends the extension
    /// object without naming its URN.
    /// </summary>
    /// <exception cref="ScimException">400 invalidValue or invalidSyntax.</exception>
    public static JsonObject CanonicalizeResource(JsonObject body, ScimResourceSchema schema)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(schema);

        var result = new JsonObject();
        var declaredSchemas = new List<string>();
        foreach (var (name, value) in body)
        {
            if (string.Equals(name, Common.Schemas, StringComparison.OrdinalIgnoreCase))
            {
                declaredSchemas.AddRange(ReadSchemaList(value, schema));
                continue;
            }

            var namedSchema = schema.FindSchema(name);
            if (namedSchema is not null)
            {
                if (value is not JsonObject extensionObject)
                {
                    throw ScimException.InvalidValue($"The value of '{name}' must be a JSON object of that schema's attributes.");
                }

                foreach (var (innerName, innerValue) in extensionObject)
                {
                    Place(result, schema, namedSchema, innerName, innerValue);
                }

                continue;
            }

            Place(result, schema, schema.Core, name, value);
        }

        result[Common.Schemas] = BuildSchemaList(result, declaredSchemas, schema);
        return result;
    }

    /// <summary>
    /// Canonicalises one attribute value for its definition (deep copy): sub-attribute names,
    /// booleans from strings, type checks; multi-valued values become arrays.
    /// </summary>
    /// <exception cref="ScimException">400 invalidValue.</exception>
    public static JsonNode? CanonicalizeValue(JsonNode? value, ScimAttributeDefinition attribute)
    {
        ArgumentNullException.ThrowIfNull(attribute);
        if (value is null || attribute.PreserveRawValue)
        {
            return value?.DeepClone();
        }

        if (!attribute.MultiValued)
        {
            return CanonicalizeSingle(value, attribute, attribute.Name);
        }

        var array = new JsonArray();
        if (value is JsonArray items)
        {
            if (items.Count > MaxValuesPerAttribute)
            {
                throw TooManyValues(attribute.Name, items.Count);
            }

            foreach (var item in items)
            {
                if (item is not null)
                {
                    array.Add(CanonicalizeSingle(item, attribute, attribute.Name));
                }
            }
        }
        else
        {
            array.Add(CanonicalizeSingle(value, attribute, attribute.Name));
        }

        return array;
    }

    /// <summary>
    /// The value of an attribute no schema defines, as sent (a copy): only a list longer than
    /// <see cref="MaxValuesPerAttribute"/> is refused, as for a defined multi-valued attribute.
    /// </summary>
    public static JsonNode? Verbatim(JsonNode? value, string name) =>
        value is JsonArray { Count: > MaxValuesPerAttribute } values ? throw TooManyValues(name, values.Count) : value?.DeepClone();

    /// <summary>A multi-valued attribute that would have more than <see cref="MaxValuesPerAttribute"/> values.</summary>
    public static ScimException TooManyValues(string attributeName, int count) =>
        ScimException.InvalidValue($"'{attributeName}' may have at most {MaxValuesPerAttribute} values; this request would give it {count}.");

    /// <summary>Finds a property by name, ignoring letter case (RFC 7643 §2.1).</summary>
    public static JsonNode? GetPropertyIgnoreCase(JsonObject target, string name, out string? actualName)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.TryGetPropertyValue(name, out var exact))
        {
            actualName = name;
            return exact;
        }

        foreach (var (key, value) in target)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                actualName = key;
                return value;
            }
        }

        actualName = null;
        return null;
    }

    private static void Place(JsonObject result, ScimResourceSchema resourceSchema, ScimSchema owner, string name, JsonNode? value)
    {
        var path = name.StartsWith("urn:", StringComparison.OrdinalIgnoreCase)
            ? resourceSchema.ParseQualifiedName(name)
            : SplitDotted(owner, name);
        var resolved = resourceSchema.Resolve(path);
        if (resolved is null)
        {
            // Not defined by any schema: kept as sent, in the schema the client put it under.
            var isCore = path.SchemaUrn is null || resourceSchema.Core.IsNamed(path.SchemaUrn);
            var container = isCore ? result : ContainerFor(result, resourceSchema.FindSchema(path.SchemaUrn!)!.Id);
            var key = path.SchemaUrn is not null && name.StartsWith("urn:", StringComparison.OrdinalIgnoreCase)
                ? (path.SubAttribute is null ? path.Name : path.Name + "." + path.SubAttribute)
                : name;
            PutOnce(container, key, Verbatim(value, name), name);
            return;
        }

        var parent = resolved.IsExtension ? ContainerFor(result, resolved.Schema.Id) : result;
        if (resolved.SubAttribute is null)
        {
            PutOnce(parent, resolved.Attribute.Name, WithOnePrimaryAtMost(CanonicalizeValue(value, resolved.Attribute), resolved.Attribute), name);
            return;
        }

        if (resolved.Attribute.MultiValued)
        {
            throw ScimException.InvalidValue($"'{name}' names a sub-attribute of the multi-valued attribute '{resolved.Attribute.Name}'; send the attribute as an array.");
        }

        if (parent[resolved.Attribute.Name] is not JsonObject complex)
        {
            complex = new JsonObject();
            PutOnce(parent, resolved.Attribute.Name, complex, name);
        }

        PutOnce(complex, resolved.SubAttribute.Name, CanonicalizeValue(value, resolved.SubAttribute), name);
    }

    /// <summary>
    /// A body is the whole of what a client asks for, so two primary values are its error, not a
    /// choice the gateway makes for it (a PATCH that adds a primary value demotes the others, RFC 7644 §3.5.2).
    /// </summary>
    private static JsonNode? WithOnePrimaryAtMost(JsonNode? canonical, ScimAttributeDefinition attribute)
    {
        if (canonical is JsonArray values && attribute.FindSubAttribute(PrimarySubAttribute) is not null)
        {
            ThrowIfSeveralPrimary(values, attribute.Name);
        }

        return canonical;
    }

    /// <summary>Whether a value of a multi-valued attribute is marked primary (the name in any letter case).</summary>
    internal static bool IsPrimaryValue(JsonNode? value) =>
        value is JsonObject item
        && GetPropertyIgnoreCase(item, PrimarySubAttribute, out _) is JsonValue primary
        && primary.GetValueKind() == JsonValueKind.True;

    /// <exception cref="ScimException">400 invalidValue when more than one of <paramref name="values"/> is primary (RFC 7643 §2.4).</exception>
    internal static void ThrowIfSeveralPrimary(JsonArray values, string attributeName)
    {
        if (values.Count(IsPrimaryValue) > 1)
        {
            throw ScimException.InvalidValue($"'{attributeName}' would have more than one value marked primary; at most one value may be primary (RFC 7643 §2.4).");
        }
    }

    /// <summary>
    /// One attribute may reach the same place in several spellings (<c>name.givenName</c> beside
    /// <c>name: {givenName}</c>, a URN-qualified name beside the extension object, names that differ
    /// in letter case); naming it twice is refused rather than letting the last one win, so that no
    /// document the gateway keeps or echoes holds a member twice.
    /// </summary>
    private static void PutOnce(JsonObject target, string key, JsonNode? value, string displayName)
    {
        GetPropertyIgnoreCase(target, key, out var existing);
        if (existing is not null)
        {
            throw ScimException.InvalidSyntax($"The body names the attribute '{displayName}' more than once (attribute names ignore letter case, RFC 7643 §2.1).");
        }

        target[key] = value;
    }

    private static AttributePath SplitDotted(ScimSchema owner, string name)
    {
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        var urn = owner.Id;
        return dot < 0 ? new AttributePath(urn, name) : new AttributePath(urn, name[..dot], name[(dot + 1)..]);
    }

    private static JsonObject ContainerFor(JsonObject result, string schemaId)
    {
        if (result[schemaId] is JsonObject existing)
        {
            return existing;
        }

        var created = new JsonObject();
        result[schemaId] = created;
        return created;
    }

    private static JsonNode CanonicalizeSingle(JsonNode value, ScimAttributeDefinition attribute, string displayName)
    {
        if (attribute.Type == ScimAttributeType.Complex)
        {
            return CanonicalizeComplex(value, attribute, displayName);
        }

        if (value is not JsonValue scalar)
        {
            throw ScimException.InvalidValue($"The value of '{displayName}' must be a single {Describe(attribute.Type)}.");
        }

        return attribute.Type switch
        {
            ScimAttributeType.Boolean => JsonValue.Create(ReadBoolean(scalar, displayName)),
            ScimAttributeType.Integer => JsonValue.Create(ReadInteger(scalar, displayName)),
            ScimAttributeType.Decimal => JsonValue.Create(ReadDecimal(scalar, displayName)),
            ScimAttributeType.DateTime => JsonValue.Create(ReadDateTime(scalar, displayName)),
            _ => JsonValue.Create(ReadString(scalar, displayName)),
        };
    }

    private static JsonObject CanonicalizeComplex(JsonNode value, ScimAttributeDefinition attribute, string displayName)
    {
        if (value is JsonValue scalar && attribute.MultiValued && attribute.FindSubAttribute("value") is { } valueAttribute)
        {
            // A bare value for a multi-valued complex attribute ("emails": ["a@b.c"]) means {"value": …}.
            return new JsonObject { [valueAttribute.Name] = CanonicalizeSingle(scalar, valueAttribute, displayName + ".value") };
        }

        if (value is not JsonObject source)
        {
            throw ScimException.InvalidValue($"The value of '{displayName}' must be a JSON object.");
        }

        var result = new JsonObject();
        foreach (var (name, subValue) in source)
        {
            var sub = attribute.FindSubAttribute(name);
            if (sub is null)
            {
                PutOnce(result, name, subValue?.DeepClone(), displayName + "." + name);
            }
            else
            {
                PutOnce(result, sub.Name, subValue is null ? null : CanonicalizeSingle(subValue, sub, displayName + "." + sub.Name), displayName + "." + sub.Name);
            }
        }

        return result;
    }

    /// <summary>Booleans arrive as JSON booleans or, from Entra, as strings in any case.</summary>
    public static bool ReadBoolean(JsonValue value, string displayName)
    {
        ArgumentNullException.ThrowIfNull(value);
        switch (value.GetValueKind())
        {
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.String when bool.TryParse(value.GetValue<string>().Trim(), out var parsed):
                return parsed;
            default:
                throw ScimException.InvalidValue($"The value of '{displayName}' must be a boolean.");
        }
    }

    private static string ReadString(JsonValue value, string displayName) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.Number => value.ToJsonString(),
        _ => throw ScimException.InvalidValue($"The value of '{displayName}' must be a string."),
    };

    private static long ReadInteger(JsonValue value, string displayName)
    {
        var text = value.GetValueKind() switch
        {
            JsonValueKind.Number => value.ToJsonString(),
            JsonValueKind.String => value.GetValue<string>(),
            _ => null,
        };
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw ScimException.InvalidValue($"The value of '{displayName}' must be an integer.");
    }

    private static decimal ReadDecimal(JsonValue value, string displayName)
    {
        var text = value.GetValueKind() switch
        {
            JsonValueKind.Number => value.ToJsonString(),
            JsonValueKind.String => value.GetValue<string>(),
            _ => null,
        };
        return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw ScimException.InvalidValue($"The value of '{displayName}' must be a decimal number.");
    }

    private static string ReadDateTime(JsonValue value, string displayName)
    {
        if (value.GetValueKind() == JsonValueKind.String)
        {
            var text = value.GetValue<string>();
            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _))
            {
                return text;
            }
        }

        throw ScimException.InvalidValue($"The value of '{displayName}' must be an xsd:dateTime string such as 2026-01-31T08:00:00Z.");
    }

    private static IEnumerable<string> ReadSchemaList(JsonNode? value, ScimResourceSchema schema)
    {
        if (value is not JsonArray array)
        {
            throw ScimException.InvalidSyntax("'schemas' must be an array of schema URNs.");
        }

        foreach (var item in array)
        {
            if (item is not JsonValue urnValue || urnValue.GetValueKind() != JsonValueKind.String)
            {
                throw ScimException.InvalidSyntax("'schemas' must be an array of schema URNs.");
            }

            var urn = urnValue.GetValue<string>();
            yield return schema.FindSchema(urn)?.Id ?? urn;
        }
    }

    private static JsonArray BuildSchemaList(JsonObject result, List<string> declared, ScimResourceSchema schema)
    {
        var urns = new List<string> { schema.Core.Id };
        foreach (var extension in schema.Extensions)
        {
            if (result.ContainsKey(extension.Id) || declared.Contains(extension.Id, StringComparer.OrdinalIgnoreCase))
            {
                urns.Add(extension.Id);
            }
        }

        return new JsonArray([.. urns.Select(u => (JsonNode)JsonValue.Create(u))]);
    }

    private static string Describe(ScimAttributeType type) => type switch
    {
        ScimAttributeType.Boolean => "boolean",
        ScimAttributeType.Integer => "integer",
        ScimAttributeType.Decimal => "number",
        ScimAttributeType.DateTime => "date-time string",
        _ => "string",
    };
}
