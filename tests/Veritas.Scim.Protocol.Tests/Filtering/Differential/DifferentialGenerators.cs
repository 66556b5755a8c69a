using System.Text.Json.Nodes;
using CsCheck;
using Veritas.Scim.Protocol.Filtering;
using Veritas.Scim.Protocol.Schemas;

namespace Veritas.Scim.Protocol.Tests.Filtering.Differential;

/// <summary>Users with every attribute the gateway returns, and filters of the RFC grammar over them.</summary>
internal static class DifferentialGenerators
{
    private static readonly string[] Words = ["ann", "Ann", "ANN", "jay", "José", "JOSÉ", "bo_b", "Bo-B", "zoë", "a", "A", "x.com", "Example", "employee", "Employee"];

    private static readonly string[] Instants = ["2026-01-01T00:00:00Z", "2026-01-02T08:30:00Z", "2026-03-15T23:59:59Z", "2025-12-31T12:00:00Z"];

    private static readonly Gen<string> Word = Gen.OneOfConst(Words);

    private static readonly Gen<string> Address = Gen.Select(Word, Gen.OneOfConst("example.com", "Example.ORG", "x.com"), (local, domain) => $"{local}@{domain}");

    private static readonly Gen<JsonNode?> Email = Gen.Select(Address, Gen.OneOfConst("work", "home", "Work", "other"), Gen.Bool,
        (value, type, primary) => (JsonNode?)new JsonObject { ["value"] = value, ["type"] = type, ["primary"] = primary });

    public static Gen<JsonObject> User { get; } =
        from id in Gen.OneOfConst("2819c223-7F76", "2819C223-7f76", "abc")
        from externalId in Gen.OneOfConst<string?>("ExtCase1", "extcase1", "EXT_7", null)
        from userName in Address
        from displayName in Gen.OneOfConst<string?>("Jay Young", "jay young", "José Núñez", "Ann_Lee", null)
        from givenName in Gen.OneOfConst<string?>("Jay", "jay", "ÉMILE", null)
        from familyName in Gen.OneOfConst<string?>("Employee", "employee", "O'Brien", null)
        from title in Gen.OneOfConst<string?>("Archivist", "archivist", "Tour Guide", null)
        from active in Gen.Bool
        from emails in Email.Array[0, 3]
        from created in Gen.OneOfConst(Instants)
        from modified in Gen.OneOfConst(Instants)
        from department in Gen.OneOfConst<string?>("Sales", "sales", null)
        from aliases in Address.Array[0, 3]
        select Build(id, externalId, userName, displayName, givenName, familyName, title, active, emails, created, modified, department, aliases);

    private static JsonObject Build(string id, string? externalId, string userName, string? displayName, string? givenName, string? familyName, string? title, bool active, JsonNode?[] emails, string created, string modified, string? department, string[] aliases)
    {
        var user = new JsonObject { ["id"] = id, ["userName"] = userName, ["active"] = active };
        Put(user, "externalId", externalId);
        Put(user, "displayName", displayName);
        Put(user, "title", title);
        var name = new JsonObject();
        Put(name, "givenName", givenName);
        Put(name, "familyName", familyName);
        if (name.Count > 0)
        {
            user["name"] = name;
        }

        if (emails.Length > 0)
        {
            user["emails"] = new JsonArray(emails);
        }

        user["meta"] = new JsonObject { ["resourceType"] = "User", ["created"] = created, ["lastModified"] = modified };
        if (department is not null)
        {
            user[UserSchemas.EnterpriseSchemaId] = new JsonObject { ["department"] = department };
        }

        if (aliases.Length > 0)
        {
            user[UserSchemas.VeritasSchemaId] = new JsonObject { [UserSchemas.EmailAliases] = new JsonArray([.. aliases.Select(a => (JsonNode)JsonValue.Create(a))]) };
        }

        return user;
    }

    private static void Put(JsonObject target, string name, string? value)
    {
        if (value is not null)
        {
            target[name] = value;
        }
    }

    private static readonly ComparisonOperator[] AllOperators = Enum.GetValues<ComparisonOperator>();

    private static readonly AttributePath[] TextPaths =
    [
        new(null, "userName"), new(null, "USERNAME"), new(UserSchemas.CoreSchemaId, "userName"), new(null, "id"), new(null, "externalId"),
        new(null, "displayName"), new(null, "name", "givenName"), new(null, "name", "familyName"), new(null, "title"), new(null, "nickName"),
        new(null, "emails"), new(null, "emails", "value"), new(null, "emails", "type"),
        new(UserSchemas.EnterpriseSchemaId, "department"), new(UserSchemas.VeritasSchemaId, UserSchemas.EmailAliases),
    ];

    private static readonly AttributePath[] BooleanPaths = [new(null, "active"), new(null, "emails", "primary")];

    private static readonly AttributePath[] DatePaths = [new(null, "meta", "created"), new(null, "meta", "lastModified")];

    private static readonly Gen<FilterLiteral> TextLiteral = Gen.Frequency(
        (8, Gen.OneOf(Word, Address, Gen.OneOfConst("ExtCase1", "extcase1", "2819c223-7F76", "Jay Young", "work", "home", "Sales", "@", "_", "")).Select(FilterLiteral.FromString)),
        (1, Gen.OneOfConst(FilterLiteral.FromBoolean(true), FilterLiteral.Null, FilterLiteral.FromNumber("42"))));

    private static readonly Gen<Filter> Leaf = Gen.Frequency(
        (6, from path in Gen.OneOfConst(TextPaths) from op in Gen.OneOfConst(AllOperators) from value in TextLiteral select (Filter)new ComparisonFilter(path, op, value)),
        (2, from path in Gen.OneOfConst(BooleanPaths)
            from op in Gen.Frequency((5, Gen.OneOfConst(ComparisonOperator.Equal, ComparisonOperator.NotEqual)), (1, Gen.OneOfConst(AllOperators)))
            from value in Gen.OneOfConst(FilterLiteral.FromBoolean(true), FilterLiteral.FromBoolean(false), FilterLiteral.Null, FilterLiteral.FromString("yes"))
            select (Filter)new ComparisonFilter(path, op, value)),
        (2, from path in Gen.OneOfConst(DatePaths)
            from op in Gen.OneOfConst(AllOperators)
            from value in Gen.Frequency((6, Gen.OneOfConst(Instants).Select(FilterLiteral.FromString)), (1, Gen.OneOfConst(FilterLiteral.FromString("T"), FilterLiteral.FromBoolean(true))))
            select (Filter)new ComparisonFilter(path, op, value)),
        (2, Gen.OneOfConst([.. TextPaths, .. BooleanPaths, .. DatePaths, new(null, "name")]).Select(path => (Filter)new PresentFilter(path))),
        (2, ValuePath));

    private static Gen<Filter> ValuePath
    {
        get
        {
            var inner = Gen.Frequency(
                (3, from type in Gen.OneOfConst("work", "home", "WORK") select (Filter)new ComparisonFilter(new(null, "type"), ComparisonOperator.Equal, FilterLiteral.FromString(type))),
                (3, from op in Gen.OneOfConst(AllOperators) from value in Gen.OneOf(Address, Word) select (Filter)new ComparisonFilter(new(null, "value"), op, FilterLiteral.FromString(value))),
                (1, Gen.OneOfConst<Filter>(new ComparisonFilter(new(null, "primary"), ComparisonOperator.Equal, FilterLiteral.FromBoolean(true)), new PresentFilter(new(null, "value")))));
            return from left in inner
                   from right in inner
                   from shape in Gen.Int[0, 3]
                   select (Filter)new ValuePathFilter(new(null, "emails"), shape switch
                   {
                       0 => left,
                       1 => new AndFilter(left, right),
                       2 => new OrFilter(left, right),
                       _ => new NotFilter(left),
                   });
        }
    }

    public static Gen<Filter> Filter(int depth)
    {
        if (depth == 0)
        {
            return Leaf;
        }

        var inner = Filter(depth - 1);
        return Gen.Frequency(
            (4, Leaf),
            (2, Gen.Select(inner, inner, (l, r) => (Filter)new AndFilter(l, r))),
            (2, Gen.Select(inner, inner, (l, r) => (Filter)new OrFilter(l, r))),
            (1, inner.Select(f => (Filter)new NotFilter(f))));
    }
}
