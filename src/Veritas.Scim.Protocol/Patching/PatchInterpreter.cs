using System.Text.Json;
using System.Text.Json.Nodes;
using Veritas.Scim.Protocol.Errors;
using Veritas.Scim.Protocol.Filtering;
using Veritas.Scim.Protocol.Resources;
using Veritas.Scim.Protocol.Schemas;

namespace Veritas.Scim.Protocol.Patching;

/// <summary>
/// Applies PATCH operations (RFC 7644 §3.5.2) to a resource in canonical form, with the leniency
/// Microsoft Entra needs: op names in any case, booleans as strings, no-path values with dotted,
/// URN-qualified and value-filter keys, and value-filter paths that create the entry they name when
/// it is missing.
/// </summary>
public static class PatchInterpreter
{
    /// <summary>
    /// Applies <paramref name="operations"/> in order to a deep copy of <paramref name="resource"/>.
    /// All or nothing: when an operation fails, the exception propagates and the caller's resource
    /// is untouched.
    /// </summary>
    /// <exception cref="ScimException">400 invalidPath, noTarget, invalidValue, invalidSyntax or mutability.</exception>
    public static PatchResult Apply(JsonObject resource, IReadOnlyList<PatchOperation> operations, ScimResourceSchema schema)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentNullException.ThrowIfNull(operations);
        ArgumentNullException.ThrowIfNull(schema);

        var session = new Session(resource.DeepClone().AsObject(), schema);
        foreach (var operation in operations)
        {
            ArgumentNullException.ThrowIfNull(operation);
            session.Apply(operation);
        }

        session.TidyExtensions();
        return new PatchResult(session.Resource, !JsonNode.DeepEquals(resource, session.Resource));
    }

    /// <summary>One PATCH being applied to its working copy.</summary>
    private sealed class Session(JsonObject resource, ScimResourceSchema schema)
    {
        private readonly HashSet<string> _touchedContainers = new(StringComparer.Ordinal);

        public JsonObject Resource { get; } = resource;

        public void Apply(PatchOperation operation)
        {
            if (!string.IsNullOrWhiteSpace(operation.Path))
            {
                // A path that is exactly a schema URN names that schema's attributes as a whole
                // (RFC 7644 §3.10); the attribute-path grammar would read it as "urn:…:2.0" + "User".
                if (schema.FindSchema(operation.Path.Trim()) is { } wholeSchema)
                {
                    ApplyToSchema(operation.Op, wholeSchema, operation.Value);
                    return;
                }

                ApplyToPath(operation.Op, FilterParser.ParsePatchPath(operation.Path), operation.Value);
                return;
            }

            if (operation.Op == PatchOperationKind.Remove)
            {
                throw ScimException.NoTarget("A remove operation needs a 'path'.");
            }

            ApplyToResource(operation.Op, operation.Value);
        }

        /// <summary>RFC 7644 §3.5.2.1/3: without a path, each attribute of the value is an operation of its own.</summary>
        private void ApplyToResource(PatchOperationKind kind, JsonNode? value)
        {
            if (value is not JsonObject attributes)
            {
                throw ScimException.InvalidValue("Without a 'path', the 'value' must be a JSON object of attributes.");
            }

            foreach (var (key, attributeValue) in attributes)
            {
                if (string.Equals(key, Common.Schemas, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (schema.FindSchema(key) is { } namedSchema)
                {
                    ApplyToSchemaAttributes(kind, namedSchema, attributeValue, key);
                    continue;
                }

                // A key with a value filter (emails[type eq "work"].value) is no attribute name: it
                // is read as the path it spells, as dotted and URN keys are, never kept verbatim.
                ApplyToPath(kind, key.Contains('[', StringComparison.Ordinal) ? FilterParser.ParsePatchPath(key) : new PatchPath(QualifiedName(key)), attributeValue);
            }
        }

        /// <summary>
        /// A schema URN as the path. The core schema stands for the resource itself, as a missing
        /// path does; it cannot be removed (userName is required). An extension is one container:
        /// add merges the value's attributes into it, replace makes it exactly the value, remove
        /// removes it; each attribute still goes through <see cref="ApplyToPath"/>, so mutability
        /// and types are checked as for any other path.
        /// </summary>
        private void ApplyToSchema(PatchOperationKind kind, ScimSchema named, JsonNode? value)
        {
            if (ReferenceEquals(named, schema.Core))
            {
                if (kind == PatchOperationKind.Remove)
                {
                    throw ScimException.Mutability($"The core schema '{named.Id}' cannot be removed: its attribute userName is required.");
                }

                ApplyToResource(kind, value);
                return;
            }

            if (kind == PatchOperationKind.Add)
            {
                ApplyToSchemaAttributes(kind, named, value, named.Id);
                return;
            }

            var present = ResourceCanonicalizer.GetPropertyIgnoreCase(Resource, named.Id, out _) as JsonObject;
            var replacement = kind == PatchOperationKind.Replace ? RequireAttributes(named, value, named.Id) : null;
            _touchedContainers.Add(named.Id);
            foreach (var (key, _) in present?.ToList() ?? [])
            {
                ResourceCanonicalizer.GetPropertyIgnoreCase(replacement ?? [], key, out var kept);
                if (kept is null)
                {
                    // Through ApplyToPath for its guards; then directly, for a key kept verbatim
                    // that does not read back as the path it spells ("a.b").
                    ApplyToPath(PatchOperationKind.Remove, new PatchPath(QualifiedName(named.Id + ":" + key)), null);
                    (Resource[named.Id] as JsonObject)?.Remove(key);
                }
            }

            if (replacement is not null)
            {
                ApplyToSchemaAttributes(kind, named, replacement, named.Id);
            }
        }

        private void ApplyToSchemaAttributes(PatchOperationKind kind, ScimSchema named, JsonNode? value, string displayName)
        {
            foreach (var (innerKey, innerValue) in RequireAttributes(named, value, displayName))
            {
                ApplyToPath(kind, new PatchPath(QualifiedName(named.Id + ":" + innerKey)), innerValue);
            }
        }

        private static JsonObject RequireAttributes(ScimSchema named, JsonNode? value, string displayName) =>
            value as JsonObject
            ?? throw ScimException.InvalidValue($"The value of '{displayName}' must be a JSON object of the attributes of '{named.Id}'.");

        /// <summary>Removes extension objects a PATCH emptied and keeps <c>schemas</c> in step.</summary>
        public void TidyExtensions()
        {
            foreach (var extension in schema.Extensions)
            {
                if (!_touchedContainers.Contains(extension.Id))
                {
                    continue;
                }

                var present = Resource[extension.Id] is JsonObject { Count: > 0 };
                if (!present)
                {
                    Resource.Remove(extension.Id);
                }

                if (Resource[Common.Schemas] is JsonArray schemas)
                {
                    var listed = schemas.FirstOrDefault(s => s is JsonValue v && v.GetValueKind() == JsonValueKind.String && extension.IsNamed(v.GetValue<string>()));
                    if (present && listed is null)
                    {
                        schemas.Add(extension.Id);
                    }
                    else if (!present && listed is not null)
                    {
                        schemas.Remove(listed);
                    }
                }
            }
        }

        private AttributePath QualifiedName(string key)
        {
            var path = schema.ParseQualifiedName(key);

            // A URN this resource does not know is an attribute name to keep verbatim, dots and all.
            return path.SchemaUrn is null && key.StartsWith("urn:", StringComparison.OrdinalIgnoreCase)
                ? new AttributePath(null, key)
                : path;
        }

        private void ApplyToPath(PatchOperationKind kind, PatchPath path, JsonNode? value)
        {
            var target = PatchTarget.Resolve(path, schema);
            if (kind == PatchOperationKind.Remove && target.Mutability == ScimMutability.ReadOnly)
            {
                // RFC 7644 §3.5.2.2: removing a read-only attribute is refused, present or not.
                throw ScimException.Mutability($"'{target.DisplayName}' is read-only and cannot be removed.");
            }

            var container = ContainerFor(target, create: kind != PatchOperationKind.Remove);
            if (container is null)
            {
                return;
            }

            var existing = ResourceCanonicalizer.GetPropertyIgnoreCase(container, target.Name, out var existingKey);
            var key = target.Definition is null ? existingKey ?? target.Name : target.Name;
            if (existingKey is not null && existingKey != key)
            {
                container.Remove(existingKey);
                container[key] = existing;
            }

            GuardReadOnlySubAttributes(kind, container[key], target, value);
            var wasAssigned = container[key] is not null;
            var guarded = target.Mutability is ScimMutability.ReadOnly or ScimMutability.Immutable;
            var before = guarded ? container[key]?.DeepClone() : null;

            if (target.ValueFilter is not null)
            {
                ApplyFiltered(kind, container, key, target, value);
            }
            else if (target.SubName is not null)
            {
                ApplySubAttribute(kind, container, key, target, value);
            }
            else
            {
                ApplyWhole(kind, container, key, target, value);
            }

            if (guarded && !JsonNode.DeepEquals(before, container[key])
                && (target.Mutability == ScimMutability.ReadOnly || before is not null))
            {
                throw ScimException.Mutability(target.Mutability == ScimMutability.ReadOnly
                    ? $"'{target.DisplayName}' is read-only."
                    : $"'{target.DisplayName}' is immutable: it may be set once but not changed.");
            }

            if (wasAssigned && target.MustStayAssigned && container[key] is null)
            {
                // RFC 7644 §3.5.2.2: a required attribute never becomes unassigned; 'active' is
                // always held by the archive, so removing it would silently read back as true.
                throw ScimException.Mutability($"'{target.DisplayName}' cannot be removed or cleared; {(target.Definition!.Required ? "it is required" : "give it a value instead")}.");
            }
        }

        /// <summary>
        /// A value for a whole single-valued complex attribute may not set a read-only
        /// sub-attribute (manager.displayName) to anything but what it holds.
        /// </summary>
        private static void GuardReadOnlySubAttributes(PatchOperationKind kind, JsonNode? current, PatchTarget target, JsonNode? value)
        {
            if (kind == PatchOperationKind.Remove || target.SubName is not null || target.ValueFilter is not null
                || target.Definition is not { Type: ScimAttributeType.Complex, MultiValued: false } definition || value is not JsonObject sent)
            {
                return;
            }

            foreach (var sub in definition.SubAttributes.Where(s => s.Mutability == ScimMutability.ReadOnly))
            {
                if (ResourceCanonicalizer.GetPropertyIgnoreCase(sent, sub.Name, out var sentKey) is var sentValue && sentKey is not null
                    && !JsonNode.DeepEquals(sentValue, (current as JsonObject)?[sub.Name]))
                {
                    throw ScimException.Mutability($"'{target.DisplayName}.{sub.Name}' is read-only.");
                }
            }
        }

        private JsonObject? ContainerFor(PatchTarget target, bool create)
        {
            if (target.ContainerKey is null)
            {
                return Resource;
            }

            _touchedContainers.Add(target.ContainerKey);
            var existing = ResourceCanonicalizer.GetPropertyIgnoreCase(Resource, target.ContainerKey, out var existingKey);
            if (existing is JsonObject container)
            {
                return container;
            }

            if (!create)
            {
                return null;
            }

            if (existingKey is not null)
            {
                Resource.Remove(existingKey);
            }

            container = [];
            Resource[target.ContainerKey] = container;
            return container;
        }

        private static void ApplyWhole(PatchOperationKind kind, JsonObject container, string key, PatchTarget target, JsonNode? value)
        {
            if (kind == PatchOperationKind.Remove)
            {
                container.Remove(key);
                return;
            }

            var canonical = target.CanonicalizeWhole(value);
            var current = container[key];
            switch (canonical)
            {
                case null:
                    container.Remove(key);
                    break;
                // Each value not already there is added once, whether or not the attribute had values:
                // a value the same add repeats is "already there" the second time (§3.5.2.1).
                case JsonArray additions when kind == PatchOperationKind.Add && current is null or JsonArray && target.IsMultiValuedOr(current):
                    var values = current as JsonArray ?? [];
                    if (additions.Count > 0 && values.Count > ResourceCanonicalizer.MaxValuesPerAttribute)
                    {
                        // Refused before each addition is compared with every value there (the
                        // additions are bounded by CanonicalizeWhole, the values already there may not be).
                        throw ResourceCanonicalizer.TooManyValues(target.Name, values.Count + additions.Count);
                    }

                    var added = new List<JsonNode>();
                    foreach (var addition in additions.ToList())
                    {
                        if (addition is not null && !values.Any(v => JsonNode.DeepEquals(v, addition)))
                        {
                            additions.Remove(addition);
                            values.Add(addition);
                            added.Add(addition);
                        }
                    }

                    if (added.Count > 0 && values.Count > ResourceCanonicalizer.MaxValuesPerAttribute)
                    {
                        throw ResourceCanonicalizer.TooManyValues(target.Name, values.Count);
                    }

                    if (current is null && values.Count > 0)
                    {
                        container[key] = values;
                    }

                    KeepOnePrimary(values, added);
                    break;
                case JsonArray { Count: 0 } when target.IsMultiValuedOr(current):
                    container.Remove(key);
                    break;
                case JsonObject subAttributes when current is JsonObject currentObject && target.IsSingleComplexOr(current):
                    // Add and replace both merge into a single-valued complex attribute (§3.5.2.1, §3.5.2.3).
                    foreach (var (subKey, subValue) in subAttributes.ToList())
                    {
                        subAttributes.Remove(subKey);
                        SetIgnoreCase(currentObject, subKey, subValue);
                    }

                    RemoveIfEmpty(container, key);
                    break;
                case JsonArray replaced:
                    container[key] = replaced;
                    KeepOnePrimary(replaced, [.. replaced.OfType<JsonObject>()]);
                    break;
                default:
                    container[key] = canonical;
                    break;
            }
        }

        private static void ApplySubAttribute(PatchOperationKind kind, JsonObject container, string key, PatchTarget target, JsonNode? value)
        {
            var current = container[key];
            var subKey = target.SubDefinition?.Name ?? target.SubName!;
            if (current is JsonArray values)
            {
                // A sub-attribute of a multi-valued attribute without a filter: every value.
                if (kind == PatchOperationKind.Remove)
                {
                    foreach (var element in values.OfType<JsonObject>())
                    {
                        RemoveIgnoreCase(element, subKey);
                    }

                    RemoveEmptyElements(container, key, values);
                    return;
                }

                var canonicalForAll = target.CanonicalizeSub(value);
                foreach (var element in values.OfType<JsonObject>())
                {
                    SetIgnoreCase(element, subKey, canonicalForAll?.DeepClone());
                }

                ResourceCanonicalizer.ThrowIfSeveralPrimary(values, target.DisplayName);

                return;
            }

            if (current is not null and not JsonObject)
            {
                throw ScimException.InvalidPath($"'{target.DisplayName}' names a sub-attribute of a value that has none.");
            }

            if (kind == PatchOperationKind.Remove)
            {
                if (current is JsonObject existing)
                {
                    RemoveIgnoreCase(existing, subKey);
                    RemoveIfEmpty(container, key);
                }

                return;
            }

            var canonical = target.CanonicalizeSub(value);
            if (current is not JsonObject complex)
            {
                if (canonical is null)
                {
                    return;
                }

                complex = [];
                container[key] = target.IsMultiValued ? new JsonArray(complex) : complex;
            }

            SetIgnoreCase(complex, subKey, canonical);
            RemoveIfEmpty(container, key);
        }

        private static void ApplyFiltered(PatchOperationKind kind, JsonObject container, string key, PatchTarget target, JsonNode? value)
        {
            var current = container[key];
            if (current is not null and not JsonArray)
            {
                throw ScimException.InvalidPath($"'{target.DisplayName}' has a value filter but is not multi-valued.");
            }

            var values = current as JsonArray;
            var matches = values is null
                ? []
                : values.Where(element => FilterEvaluator.MatchesValue(target.ValueFilter!, element, target.Definition)).OfType<JsonObject>().ToList();
            var subKey = target.SubName is null ? null : target.SubDefinition?.Name ?? target.SubName;

            if (kind == PatchOperationKind.Remove)
            {
                // Removing what is not there leaves the resource as the client wants it; Entra retries
                // rely on this being idempotent rather than a noTarget error.
                foreach (var match in matches)
                {
                    if (subKey is null)
                    {
                        values!.Remove(match);
                    }
                    else
                    {
                        RemoveIgnoreCase(match, subKey);
                    }
                }

                if (values is not null)
                {
                    RemoveEmptyElements(container, key, values);
                }

                return;
            }

            JsonObject replacement;
            if (subKey is null)
            {
                replacement = target.CanonicalizeElement(value);
            }
            else
            {
                replacement = [];
                replacement[subKey] = target.CanonicalizeSub(value);
            }

            if (matches.Count == 0)
            {
                var created = target.SeedFromFilter()
                    ?? throw ScimException.NoTarget($"No value of '{target.Name}' matches the filter in the path, and the filter does not describe a value that could be added.");
                foreach (var (subName, subValue) in replacement.ToList())
                {
                    replacement.Remove(subName);
                    SetIgnoreCase(created, subName, subValue);
                }

                // The value written must be one the filter describes: replacing the very
                // sub-attribute the filter selects on (emails[value eq "a"].value = "b") matches
                // nothing there is, which RFC 7644 §3.5.2.3 answers with noTarget.
                if (!FilterEvaluator.MatchesValue(target.ValueFilter!, created, target.Definition))
                {
                    throw ScimException.NoTarget($"No value of '{target.Name}' matches the filter in the path, and the value written would not match it either.");
                }

                if (values is null)
                {
                    values = [];
                    container[key] = values;
                }

                values.Add(created);
                KeepOnePrimary(values, [created]);
                return;
            }

            foreach (var match in matches)
            {
                if (subKey is null && kind == PatchOperationKind.Replace)
                {
                    // The matching values are replaced; what the filter selected on stays true of them.
                    var keep = target.SeedFromFilter();
                    match.Clear();
                    foreach (var (seedKey, seedValue) in keep ?? [])
                    {
                        match[seedKey] = seedValue?.DeepClone();
                    }
                }

                foreach (var (subName, subValue) in replacement)
                {
                    SetIgnoreCase(match, subName, subValue?.DeepClone());
                }
            }

            RemoveEmptyElements(container, key, values!);
            KeepOnePrimary(values!, matches);
        }

        /// <summary>RFC 7643 §2.4: at most one value is primary; the one just written wins.</summary>
        private static void KeepOnePrimary(JsonArray values, IReadOnlyList<JsonNode> written)
        {
            var winner = written.LastOrDefault(ResourceCanonicalizer.IsPrimaryValue);
            if (winner is null)
            {
                return;
            }

            foreach (var element in values)
            {
                if (!ReferenceEquals(element, winner) && ResourceCanonicalizer.IsPrimaryValue(element))
                {
                    SetIgnoreCase(element!.AsObject(), ResourceCanonicalizer.PrimarySubAttribute, false);
                }
            }
        }

        private static void SetIgnoreCase(JsonObject target, string name, JsonNode? value)
        {
            if (value is null)
            {
                RemoveIgnoreCase(target, name);
                return;
            }

            ResourceCanonicalizer.GetPropertyIgnoreCase(target, name, out var existingKey);
            if (existingKey is not null && existingKey != name)
            {
                target.Remove(existingKey);
            }

            target[name] = value;
        }

        private static void RemoveIgnoreCase(JsonObject target, string name)
        {
            ResourceCanonicalizer.GetPropertyIgnoreCase(target, name, out var existingKey);
            if (existingKey is not null)
            {
                target.Remove(existingKey);
            }
        }

        private static void RemoveIfEmpty(JsonObject container, string key)
        {
            if (container[key] is JsonObject { Count: 0 })
            {
                container.Remove(key);
            }
        }

        /// <summary>A multi-valued attribute left with no values is unassigned (RFC 7644 §3.5.2.2).</summary>
        private static void RemoveEmptyElements(JsonObject container, string key, JsonArray values)
        {
            foreach (var empty in values.Where(v => v is JsonObject { Count: 0 }).ToList())
            {
                values.Remove(empty);
            }

            if (values.Count == 0)
            {
                container.Remove(key);
            }
        }
    }
}
