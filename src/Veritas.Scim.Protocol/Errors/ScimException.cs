namespace Veritas.Scim.Protocol.Errors;

/// <summary>
/// A request the SCIM layer refuses, with the HTTP status and <c>scimType</c> the client receives.
/// The detail is sent to the client, so it names only what the client itself sent.
/// </summary>
public sealed class ScimException : Exception
{
    public ScimException(int status, ScimErrorType? scimType, string detail)
        : base(detail)
    {
        Status = status;
        ScimType = scimType;
    }

    public ScimException()
        : this(400, null, "The request is not valid.")
    {
    }

    public ScimException(string message)
        : this(400, null, message)
    {
    }

    public ScimException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = 400;
    }

    public int Status { get; }

    public ScimErrorType? ScimType { get; }

    public static ScimException BadRequest(ScimErrorType scimType, string detail) => new(400, scimType, detail);

    public static ScimException InvalidFilter(string detail) => new(400, ScimErrorType.InvalidFilter, detail);

    public static ScimException InvalidPath(string detail) => new(400, ScimErrorType.InvalidPath, detail);

    public static ScimException InvalidValue(string detail) => new(400, ScimErrorType.InvalidValue, detail);

    public static ScimException InvalidSyntax(string detail) => new(400, ScimErrorType.InvalidSyntax, detail);

    public static ScimException NoTarget(string detail) => new(400, ScimErrorType.NoTarget, detail);

    public static ScimException Mutability(string detail) => new(400, ScimErrorType.Mutability, detail);

    public static ScimException Uniqueness(string detail) => new(409, ScimErrorType.Uniqueness, detail);

    public static ScimException NotFound(string detail) => new(404, null, detail);
}
