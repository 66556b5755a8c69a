namespace Veritas.Scim.Protocol.Schemas;

/// <summary>
/// The User resource this gateway serves: the core User schema (RFC 7643 §4.1), the enterprise
/// extension (§4.3) and the Veritas extension carrying <c>emailAliases</c>.
/// </summary>
public static class UserSchemas
{
    public const string CoreSchemaId = "urn:ietf:params:scim:schemas:core:2.0:User";
    public const string EnterpriseSchemaId = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
    public const string VeritasSchemaId = "urn:ietf:params:scim:schemas:extension:veritas:2.0:User";

    /// <summary>The Veritas extension attribute that holds the mailbox's alias addresses.</summary>
    public const string EmailAliases = "emailAliases";

    public static ScimSchema Core { get; } = new(
        CoreSchemaId,
        "User",
        "User Account",
        [
            Common.Id,
            Common.ExternalId,
            new("userName") { Required = true, Uniqueness = ScimUniqueness.Server, Description = "Unique identifier for the User, typically used to sign in." },
            new("name", ScimAttributeType.Complex)
            {
                Description = "The components of the user's real name.",
                SubAttributes =
                [
                    new("formatted"),
                    new("familyName"),
                    new("givenName"),
                    new("middleName"),
                    new("honorificPrefix"),
                    new("honorificSuffix"),
                ],
            },
            new("displayName") { Description = "The name of the User, suitable for display to end-users." },
            new("nickName"),
            new("profileUrl", ScimAttributeType.Reference) { ReferenceTypes = ["external"] },
            new("title"),
            new("userType"),
            new("preferredLanguage"),
            new("locale"),
            new("timezone"),
            new("active", ScimAttributeType.Boolean) { AlwaysAssigned = true, Description = "The User's administrative status; false disables the archive account." },
            new("password") { Mutability = ScimMutability.WriteOnly, Returned = ScimReturned.Never },
            MultiValued("emails", ["work", "home", "other"], "E-mail addresses; the work address is the archive's primary SMTP address."),
            MultiValued("phoneNumbers", ["work", "home", "mobile", "fax", "pager", "other"], "Phone numbers."),
            MultiValued("ims", ["aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"], "Instant messaging addresses."),
            MultiValued("photos", ["photo", "thumbnail"], "URLs of photos of the User.", ScimAttributeType.Reference, ["external"]),
            new("addresses", ScimAttributeType.Complex)
            {
                MultiValued = true,
                Description = "Physical mailing addresses.",
                SubAttributes =
                [
                    new("formatted"),
                    new("streetAddress"),
                    new("locality"),
                    new("region"),
                    new("postalCode"),
                    new("country"),
                    new("type") { CanonicalValues = ["work", "home", "other"] },
                    new("primary", ScimAttributeType.Boolean),
                ],
            },
            ReadOnlyMultiValued("groups", "Groups the User belongs to; groups are not managed by this gateway."),
            MultiValued("entitlements", [], "Entitlements."),
            MultiValued("roles", [], "Roles."),
            MultiValued("x509Certificates", [], "X.509 certificates.", ScimAttributeType.Binary),
            Common.Meta,
        ]);

    public static ScimSchema Enterprise { get; } = new(
        EnterpriseSchemaId,
        "EnterpriseUser",
        "Enterprise User",
        [
            new("employeeNumber"),
            new("costCenter"),
            new("organization"),
            new("division"),
            new("department"),
            new("manager", ScimAttributeType.Complex)
            {
                SubAttributes =
                [
                    new("value"),
                    new("$ref", ScimAttributeType.Reference) { ReferenceTypes = ["User"] },
                    new("displayName") { Mutability = ScimMutability.ReadOnly },
                ],
            },
        ]);

    public static ScimSchema Veritas { get; } = new(
        VeritasSchemaId,
        "VeritasUser",
        "Veritas Enterprise Vault.cloud user",
        [
            new(EmailAliases)
            {
                PreserveRawValue = true,
                Description = "The mailbox's alias addresses, usually Join(\",\", [proxyAddresses]); also accepted as an array of strings or of {value} objects. Returned exactly as written.",
            },
        ]);

    public static ScimResourceSchema Resource { get; } = new("User", "/Users", Core, [Enterprise, Veritas]);

    private static ScimAttributeDefinition MultiValued(string name, IReadOnlyList<string> types, string description, ScimAttributeType valueType = ScimAttributeType.String, IReadOnlyList<string>? referenceTypes = null) =>
        new(name, ScimAttributeType.Complex)
        {
            MultiValued = true,
            Description = description,
            SubAttributes =
            [
                // RFC 7643 §2.3.6: a binary value is case exact (base64), though §8.7.1 lists x509Certificates.value otherwise.
                new("value", valueType) { ReferenceTypes = referenceTypes ?? [], CaseExact = valueType == ScimAttributeType.Binary },
                new("display"),
                new("type") { CanonicalValues = types },
                new("primary", ScimAttributeType.Boolean),
            ],
        };

    private static ScimAttributeDefinition ReadOnlyMultiValued(string name, string description) =>
        new(name, ScimAttributeType.Complex)
        {
            MultiValued = true,
            Mutability = ScimMutability.ReadOnly,
            Description = description,
            SubAttributes =
            [
                new("value") { Mutability = ScimMutability.ReadOnly },
                new("$ref", ScimAttributeType.Reference) { Mutability = ScimMutability.ReadOnly, ReferenceTypes = ["User", "Group"] },
                new("display") { Mutability = ScimMutability.ReadOnly },
                new("type") { Mutability = ScimMutability.ReadOnly, CanonicalValues = ["direct", "indirect"] },
            ],
        };
}
