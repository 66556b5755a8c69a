using System.Text.Json.Nodes;

namespace Veritas.Scim.Protocol.Patching;

/// <summary>The operations of RFC 7644 §3.5.2.</summary>
public enum PatchOperationKind
{
    Add,
    Replace,
    Remove,
}

/// <summary>One PATCH operation as the client sent it; the path is parsed when it is applied.</summary>
/// <param name="Op">The operation.</param>
/// <param name="Path">The target path, or null for the resource itself.</param>
/// <param name="Value">The value as sent (not yet canonicalised).</param>
public sealed record PatchOperation(PatchOperationKind Op, string? Path, JsonNode? Value);

/// <summary>The outcome of applying a PATCH.</summary>
/// <param name="Resource">The patched resource, a new object (the input is never modified).</param>
/// <param name="Changed">False when the patched resource equals the input, so there is nothing to write.</param>
public sealed record PatchResult(JsonObject Resource, bool Changed);
