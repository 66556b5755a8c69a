using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using Veritas.Scim.Protocol.Filtering;
using Veritas.Scim.Protocol.Schemas;

namespace Veritas.Scim.Benchmarks.Protocol;

/// <summary>
/// Filter parsing and evaluation, per request on every Entra query: the simple userName lookup is
/// the baseline the others are read against.
/// </summary>
[MemoryDiagnoser]
public class FilterBenchmarks
{
    private const string SimpleEntraFilter = "userName eq \"Test_User_dfeef4c5-5681-4387-b016-bdf221e82081\"";
    private const string ValuePathEntraFilter = "emails[type eq \"work\"].value eq \"bjensen@example.com\"";
    private const string ComplexRfcFilter =
        "userType ne \"Employee\" and not (emails co \"example.com\" or emails.value co \"example.org\") "
        + "or emails[type eq \"work\" and value co \"@example.com\"] and meta.lastModified gt \"2011-05-13T04:42:34Z\"";

    private readonly JsonObject _user = (JsonObject)JsonNode.Parse("""
        {
          "id": "2819c223-7f76-453a-919d-413861904646",
          "userName": "bjensen",
          "userType": "Employee",
          "emails": [
            { "value": "bjensen@example.com", "type": "work", "primary": true },
            { "value": "babs@jensen.org", "type": "home" }
          ],
          "meta": { "resourceType": "User", "lastModified": "2011-05-13T04:42:34Z" }
        }
        """)!;

    private readonly Filter _parsedValuePath = FilterParser.Parse(ValuePathEntraFilter);
    private readonly Filter _parsedComplex = FilterParser.Parse(ComplexRfcFilter);

    [Benchmark(Baseline = true)]
    public Filter ParseSimpleEntraFilter() => FilterParser.Parse(SimpleEntraFilter);

    [Benchmark]
    public Filter ParseValuePathFilter() => FilterParser.Parse(ValuePathEntraFilter);

    [Benchmark]
    public Filter ParseComplexRfcFilter() => FilterParser.Parse(ComplexRfcFilter);

    [Benchmark]
    public bool EvaluateValuePathFilter() => FilterEvaluator.Matches(_parsedValuePath, _user, UserSchemas.Resource);

    [Benchmark]
    public bool EvaluateComplexRfcFilter() => FilterEvaluator.Matches(_parsedComplex, _user, UserSchemas.Resource);
}
