using Microsoft.Extensions.Configuration;

namespace Veritas.Scim.Gateway.Tests.Infrastructure;

/// <summary>
/// Configuration that a test can change while the gateway runs: every change raises the reload
/// token, exactly as a re-read appsettings file would, so YARP's config provider picks it up.
/// </summary>
public sealed class MutableConfigurationSource : IConfigurationSource
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string?> _values = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<Provider> _providers = [];

    public MutableConfigurationSource(IEnumerable<KeyValuePair<string, string?>> initial)
    {
        foreach (var (key, value) in initial)
        {
            _values[key] = value;
        }
    }

    public IConfigurationProvider Build(IConfigurationBuilder builder)
    {
        var provider = new Provider(this);
        lock (_gate)
        {
            _providers.Add(provider);
        }

        return provider;
    }

    /// <summary>Sets (or, with a null value, removes) keys and reloads at once.</summary>
    public void Update(IEnumerable<KeyValuePair<string, string?>> changes)
    {
        List<Provider> providers;
        lock (_gate)
        {
            foreach (var (key, value) in changes)
            {
                if (value is null)
                {
                    _values.Remove(key);
                }
                else
                {
                    _values[key] = value;
                }
            }

            providers = [.. _providers];
        }

        foreach (var provider in providers)
        {
            provider.Reload();
        }
    }

    private Dictionary<string, string?> Snapshot()
    {
        lock (_gate)
        {
            return new Dictionary<string, string?>(_values, StringComparer.OrdinalIgnoreCase);
        }
    }

    private sealed class Provider(MutableConfigurationSource source) : ConfigurationProvider
    {
        public override void Load() => Data = source.Snapshot();

        public void Reload()
        {
            Load();
            OnReload();
        }
    }
}
