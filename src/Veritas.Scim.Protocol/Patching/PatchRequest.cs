using System.Text.Json;
using System.Text.Json.Nodes;
using Veritas.Scim.Protocol.Errors;
using Veritas.Scim.Protocol.Resources;
using Veritas.Scim.Protocol.Schemas;

namespace Veritas.Scim.Protocol.Patching;

/// <summary>A PATCH request body (RFC 7644 §3.5.2).</summary>
public sealed record PatchRequest(IReadOnlyList<PatchOperation> Operations)
{
    /// <summary>
    /// The most operations one PATCH may carry (Entra sends one per changed attribute). Each may
    /// evaluate a value filter over a multi-valued attribute, so the bound, with
    /// <see cref="ResourceCanonicalizer.MaxValuesPerAttribute"/>, keeps a PATCH's cost small.
    /// </summary>
    public const int MaxOperations = 100;

    public const string PatchOpSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

    /// <summary>
    /// Reads a parsed body. Keys and op names are matched ignoring letter case, as Entra sends
    /// <c>Replace</c> and <c>Add</c>.
    /// </summary>
    /// <exception cref="ScimException">400 invalidSyntax, invalidValue (add or replace without a
    /// value) or noTarget (remove without a path).</exception>
    public static PatchRequest Parse(JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var schemas = ResourceCanonicalizer.GetPropertyIgnoreCase(body, Common.Schemas, out _) as JsonArray;
        if (schemas is null || !schemas.Any(IsPatchOpSchema))
        {
            throw ScimException.InvalidSyntax($"A PATCH body's 'schemas' must contain '{PatchOpSchema}'.");
        }

        if (ResourceCanonicalizer.GetPropertyIgnoreCase(body, "Operations", out _) is not JsonArray operations || operations.Count == 0)
        {
            throw ScimException.InvalidSyntax("A PATCH body needs a non-empty 'Operations' array.");
        }

        if (operations.Count > MaxOperations)
        {
            throw ScimException.InvalidValue($"A PATCH may carry at most {MaxOperations} operations; this one has {operations.Count}.");
        }

        return new PatchRequest([.. operations.Select(ParseOperation)]);
    }

    private static bool IsPatchOpSchema(JsonNode? node) =>
        node is JsonValue value
        && value.GetValueKind() == JsonValueKind.String
        && string.Equals(value.GetValue<string>(), PatchOpSchema, StringComparison.OrdinalIgnoreCase);

    private static PatchOperation ParseOperation(JsonNode? node)
    {
        if (node is not JsonObject operation)
        {
            throw ScimException.InvalidSyntax("Each PATCH operation must be a JSON object.");
        }

        var kind = ReadString(operation, "op") switch
        {
            { } op when string.Equals(op, "add", StringComparison.OrdinalIgnoreCase) => PatchOperationKind.Add,
            { } op when string.Equals(op, "replace", StringComparison.OrdinalIgnoreCase) => PatchOperationKind.Replace,
            { } op when string.Equals(op, "remove", StringComparison.OrdinalIgnoreCase) => PatchOperationKind.Remove,
            var op => throw ScimException.InvalidSyntax($"'{op}' is not a PATCH operation; use add, replace or remove."),
        };

        var path = ReadString(operation, "path");
        if (string.IsNullOrWhiteSpace(path))
        {
            path = null;
        }

        var value = ResourceCanonicalizer.GetPropertyIgnoreCase(operation, "value", out var valueKey);
        switch (kind)
        {
            case PatchOperationKind.Remove when path is null:
                throw ScimException.NoTarget("A remove operation needs a 'path'.");
            case PatchOperationKind.Add when value is null:
            case PatchOperationKind.Replace when valueKey is null:
                throw ScimException.InvalidValue($"The {(kind == PatchOperationKind.Add ? "add" : "replace")} operation{(path is null ? string.Empty : $" on '{path}'")} needs a 'value'.");
        }

        return new PatchOperation(kind, path, value?.DeepClone());
    }

    private static string? ReadString(JsonObject operation, string name) =>
        ResourceCanonicalizer.GetPropertyIgnoreCase(operation, name, out _) switch
        {
            null => null,
            JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
            _ => throw ScimException.InvalidSyntax($"The '{name}' of a PATCH operation must be a string."),
        };
}
