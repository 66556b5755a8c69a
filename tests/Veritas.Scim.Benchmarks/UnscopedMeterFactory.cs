using System.Diagnostics.Metrics;

namespace Veritas.Scim.Benchmarks;

/// <summary>Meters for services built by hand, outside a host; nothing here reads them.</summary>
internal sealed class UnscopedMeterFactory : IMeterFactory
{
    public Meter Create(MeterOptions options) => new(options);

    public void Dispose()
    {
    }
}
