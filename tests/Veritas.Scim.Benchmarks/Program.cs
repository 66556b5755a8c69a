using BenchmarkDotNet.Running;
using Veritas.Scim.Benchmarks.Load;

// `load …` is the Entra-shaped HTTP load benchmark (gateway vs. a bare endpoint); `bare-endpoint`
// is that endpoint's own process; anything else goes to BenchmarkDotNet.
return args switch
{
    ["load", .. var options] => await LoadBenchmark.RunAsync(options),
    ["bare-endpoint", var url] => await BareScimEndpoint.RunAsync(url),
    _ => RunBenchmarkDotNet(args),
};

static int RunBenchmarkDotNet(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(LoadBenchmark).Assembly).Run(args);
    return 0;
}
