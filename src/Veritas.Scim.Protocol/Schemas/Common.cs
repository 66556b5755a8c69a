namespace Veritas.Scim.Protocol.Schemas;

/// <summary>The attributes every resource has (RFC 7643 §3.1).</summary>
public static class Common
{
    public const string Schemas = "schemas";

    public static ScimAttributeDefinition Id { get; } = new("id")
    {
        CaseExact = true,
        Mutability = ScimMutability.ReadOnly,
        Returned = ScimReturned.Always,
        Uniqueness = ScimUniqueness.Server,
        Description = "The service provider's unique, stable identifier of the resource.",
    };

    public static ScimAttributeDefinition ExternalId { get; } = new("externalId")
    {
        CaseExact = true,
        Description = "The provisioning client's identifier of the resource.",
    };

    public static ScimAttributeDefinition Meta { get; } = new("meta", ScimAttributeType.Complex)
    {
        Mutability = ScimMutability.ReadOnly,
        Description = "Resource metadata.",
        SubAttributes =
        [
            new("resourceType") { CaseExact = true, Mutability = ScimMutability.ReadOnly },
            new("created", ScimAttributeType.DateTime) { Mutability = ScimMutability.ReadOnly },
            new("lastModified", ScimAttributeType.DateTime) { Mutability = ScimMutability.ReadOnly },
            new("location", ScimAttributeType.Reference) { CaseExact = true, Mutability = ScimMutability.ReadOnly, ReferenceTypes = ["uri"] },
            new("version") { CaseExact = true, Mutability = ScimMutability.ReadOnly },
        ],
    };
}
