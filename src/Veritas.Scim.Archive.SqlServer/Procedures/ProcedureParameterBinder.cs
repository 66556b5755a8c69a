using System.Collections.Concurrent;
using System.Reflection;
using Dapper;

namespace Veritas.Scim.Archive.SqlServer.Procedures;

/// <summary>One declared parameter of a procedure call type.</summary>
internal sealed record ProcedureParameterInfo(string Name, PropertyInfo Property, ProcedureParameterAttribute Declaration);

/// <summary>Turns an <see cref="IProcedureCall"/> into Dapper parameters from its declared properties.</summary>
internal static class ProcedureParameterBinder
{
    private static readonly ConcurrentDictionary<Type, IReadOnlyList<ProcedureParameterInfo>> Signatures = new();

    /// <summary>The declared parameters of a call type, in declaration order.</summary>
    public static IReadOnlyList<ProcedureParameterInfo> SignatureOf(Type callType) =>
        Signatures.GetOrAdd(callType, static type => type
            .GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(property => (property, declaration: property.GetCustomAttribute<ProcedureParameterAttribute>()))
            .Where(pair => pair.declaration is not null)
            .OrderBy(pair => pair.property.MetadataToken)
            .Select(pair => new ProcedureParameterInfo(pair.property.Name, pair.property, pair.declaration!))
            .ToList());

    public static DynamicParameters Bind<TCall>(TCall call)
        where TCall : IProcedureCall
    {
        ArgumentNullException.ThrowIfNull(call);
        var parameters = new DynamicParameters();
        foreach (var parameter in SignatureOf(typeof(TCall)))
        {
            var value = parameter.Property.GetValue(call);
            if (parameter.Declaration.TableTypeName == AliasListParameter.TableTypeName)
            {
                parameters.Add(parameter.Name, new AliasListParameter((IReadOnlyList<string>?)value ?? []));
                continue;
            }

            EnsureFits(parameter, value);
            parameters.Add(
                parameter.Name,
                value,
                parameter.Declaration.Type,
                System.Data.ParameterDirection.Input,
                parameter.Declaration.Size == 0 ? null : parameter.Declaration.Size);
        }

        return parameters;
    }

    /// <summary>
    /// SqlClient silently truncates a value longer than the parameter's size; a store must refuse
    /// it instead (the message names the parameter, never the value).
    /// </summary>
    private static void EnsureFits(ProcedureParameterInfo parameter, object? value)
    {
        var size = parameter.Declaration.Size;
        var length = value switch
        {
            string text => text.Length,
            byte[] bytes => bytes.Length,
            _ => 0,
        };
        if (size > 0 && length > size)
        {
            throw new ArgumentException($"{parameter.Name} is {length} long; the column holds at most {size}.", parameter.Name);
        }

        if (parameter.Declaration.Type == System.Data.DbType.Binary && value is byte[] fixedLength && fixedLength.Length != size)
        {
            throw new ArgumentException($"{parameter.Name} must be exactly {size} bytes.", parameter.Name);
        }
    }
}
