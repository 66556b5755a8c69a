using System.Text.Json.Nodes;

namespace Veritas.Scim.Translation.Tests;

/// <summary>Test JSON written with single quotes, so that request shapes stay readable.</summary>
internal static class Json
{
    public static JsonObject Object(string text) => JsonNode.Parse(text.Replace('\'', '"'))!.AsObject();

    public static JsonNode? Node(string text) => JsonNode.Parse(text.Replace('\'', '"'));
}
