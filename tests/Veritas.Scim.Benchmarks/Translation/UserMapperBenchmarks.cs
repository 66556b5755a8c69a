using System.Buffers;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Veritas.Scim.Protocol.Messages;
using Veritas.Scim.Protocol.Requests;
using Veritas.Scim.Protocol.Schemas;
using Veritas.Scim.Translation.Aliases;
using Veritas.Scim.Translation.Archive;
using Veritas.Scim.Translation.Users;

namespace Veritas.Scim.Benchmarks.Translation;

/// <summary>
/// An account the way the load benchmark's create leaves it (user map, one alias) through the
/// mapper's steps of every read and PATCH: written as a response, made into a tree, and back
/// into a state.
/// Run: dotnet run -c Release --project tests/Veritas.Scim.Benchmarks -- --filter *UserMapper*
/// </summary>
[MemoryDiagnoser]
public class UserMapperBenchmarks : IDisposable
{
    private const string BaseUrl = "http://127.0.0.1:5000/scim/load/v2";

    private static readonly byte[] CreateBody = Encoding.UTF8.GetBytes("""
        {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:veritas:2.0:User"],
         "userName":"r1.42@load.example.com","externalId":"ext-r1.42@load.example.com","active":true,"displayName":"Load User 42",
         "name":{"givenName":"Load","familyName":"User 42"},
         "emails":[{"type":"work","primary":true,"value":"r1.42@load.example.com"}],
         "urn:ietf:params:scim:schemas:extension:veritas:2.0:User":{"emailAliases":"SMTP:r1.42@load.example.com,smtp:alias.r1.42@load.example.com"} }
        """);

    private readonly UserMapper _mapper = new(new EmailAliasOptions());
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private ArchiveAccount _account = null!;
    private Utf8JsonWriter _writer = null!;

    [GlobalSetup]
    public void SetUp()
    {
        var state = _mapper.ToState(ResourceBody.Parse(ScimJson.ParseObject(CreateBody), UserSchemas.Resource).Resource);
        var now = new DateTimeOffset(2026, 12, 2, 5, 0, 0, TimeSpan.Zero);
        _account = new ArchiveAccount(
            "0199A0B1C2D3E4F5A6B7C8D9E0F1A2B3", 1, state.UserName, state.PrimarySmtpAddress, state.FirstName, state.LastName, state.DisplayName,
            AccountStatus.Enabled, ProvisioningSource.Scim, state.ExternalId, state.Aliases, state.ScimAttributesJson, HasUserMap: true, Version: 1, now, now);
        _writer = new Utf8JsonWriter(_buffer, ScimJson.WriterOptions);
    }

    public void Dispose()
    {
        _writer?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true, Description = "Write the account as a response")]
    public int WriteResource()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        UserMapper.WriteResource(_writer, _account, BaseUrl);
        _writer.Flush();
        return _buffer.WrittenCount;
    }

    [Benchmark(Description = "Make the account a tree (PATCH's starting point)")]
    public int ToResource() => UserMapper.ToResource(_account, BaseUrl).Count;

    [Benchmark(Description = "Tree to state (PATCH's result)")]
    public int ToState() => _mapper.ToState(UserMapper.ToResource(_account, BaseUrl)).Aliases.Count;
}
