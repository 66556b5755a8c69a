namespace Veritas.Scim.Protocol.Errors;

/// <summary>The <c>scimType</c> values of RFC 7644 §3.12.</summary>
public enum ScimErrorType
{
    InvalidFilter,
    TooMany,
    Uniqueness,
    Mutability,
    InvalidSyntax,
    InvalidPath,
    NoTarget,
    InvalidValue,
    InvalidVers,
    Sensitive,
}
