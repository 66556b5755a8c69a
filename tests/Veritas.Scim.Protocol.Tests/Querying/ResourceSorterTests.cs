using System.Text.Json.Nodes;
using Veritas.Scim.Protocol.Filtering;
using Veritas.Scim.Protocol.Querying;
using Veritas.Scim.Protocol.Schemas;

namespace Veritas.Scim.Protocol.Tests.Querying;

public sealed class ResourceSorterTests
{
    private static readonly JsonObject[] Users =
    [
        Json.Object("{ 'id': 'c', 'userName': 'carol', 'emails': [{ 'value': 'z@x.com' }, { 'value': 'a@x.com', 'primary': true }], 'meta': { 'created': '2024-01-01T00:00:00+02:00' } }"),
        Json.Object("{ 'id': 'a', 'userName': 'Alice', 'emails': [{ 'value': 'm@x.com' }], 'meta': { 'created': '2023-12-31T23:30:00Z' } }"),
        Json.Object("{ 'id': 'b', 'userName': 'bob' }"),
    ];

    private static string[] Sort(AttributePath path, bool descending) =>
        [.. Users.Order(new ResourceSorter(UserSchemas.Resource, path, descending)).Select(u => (string)u["id"]!)];

    [Fact]
    public void Strings_sort_by_case_insensitive_value_for_userName() =>
        Assert.Equal(["a", "b", "c"], Sort(new AttributePath(null, "userName"), descending: false));

    [Fact]
    public void Descending_reverses_the_order() =>
        Assert.Equal(["c", "b", "a"], Sort(new AttributePath(null, "userName"), descending: true));

    [Fact]
    public void Multi_valued_attributes_sort_by_their_primary_value_and_missing_values_go_last() =>
        Assert.Equal(["c", "a", "b"], Sort(new AttributePath(null, "emails", "value"), descending: false));

    [Fact]
    public void Missing_values_go_first_when_descending() =>
        Assert.Equal(["b", "a", "c"], Sort(new AttributePath(null, "emails"), descending: true));

    [Fact]
    public void Date_times_compare_as_instants_not_as_text() =>
        Assert.Equal(["c", "a", "b"], Sort(new AttributePath(null, "meta", "created"), descending: false));
}
