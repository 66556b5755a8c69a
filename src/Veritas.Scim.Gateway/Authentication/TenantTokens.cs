using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Veritas.Scim.Gateway.Authentication;

/// <summary>Secret tokens: 256 random bits shown once; only their SHA-256 is ever stored.</summary>
internal static class TenantTokens
{
    public static string Generate() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
