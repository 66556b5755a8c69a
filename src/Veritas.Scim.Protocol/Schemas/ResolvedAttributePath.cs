namespace Veritas.Scim.Protocol.Schemas;

/// <summary>
/// An attribute path resolved against a resource schema: where the attribute lives (core or an
/// extension, whose values sit in the resource under the extension's URN) and its definition.
/// </summary>
/// <param name="Schema">The schema that defines the attribute.</param>
/// <param name="Attribute">The top-level attribute.</param>
/// <param name="SubAttribute">The sub-attribute, when the path names one.</param>
/// <param name="IsExtension">True when the values sit under <c>resource[Schema.Id]</c>.</param>
public sealed record ResolvedAttributePath(ScimSchema Schema, ScimAttributeDefinition Attribute, ScimAttributeDefinition? SubAttribute, bool IsExtension)
{
    /// <summary>The definition that governs the value: the sub-attribute when there is one.</summary>
    public ScimAttributeDefinition Target => SubAttribute ?? Attribute;
}
