using System.Reflection;
using Microsoft.Data.SqlClient;

namespace Veritas.Scim.Archive.SqlServer.Tests.Execution;

/// <summary>SqlException has no public constructor; tests build one through the driver's internal factory.</summary>
internal static class SqlExceptionFactory
{
    public static SqlException Create(int number, string message = "test error")
    {
        var errorConstructor = typeof(SqlError)
            .GetConstructors(BindingFlags.NonPublic | BindingFlags.Instance)
            .OrderByDescending(constructor => constructor.GetParameters().Length)
            .First();
        var arguments = errorConstructor.GetParameters().Select(parameter => parameter.Name switch
        {
            "infoNumber" => number,
            "errorMessage" => message,
            _ when parameter.ParameterType == typeof(string) => "test",
            _ when parameter.ParameterType.IsValueType => Activator.CreateInstance(parameter.ParameterType),
            _ => null,
        }).ToArray();
        var error = (SqlError)errorConstructor.Invoke(arguments);

        var errors = (SqlErrorCollection)Activator.CreateInstance(typeof(SqlErrorCollection), nonPublic: true)!;
        typeof(SqlErrorCollection).GetMethod("Add", BindingFlags.NonPublic | BindingFlags.Instance)!.Invoke(errors, [error]);

        var create = typeof(SqlException).GetMethod(
            "CreateException",
            BindingFlags.NonPublic | BindingFlags.Static,
            [typeof(SqlErrorCollection), typeof(string)])!;
        return (SqlException)create.Invoke(null, [errors, "16.0.0"])!;
    }
}
