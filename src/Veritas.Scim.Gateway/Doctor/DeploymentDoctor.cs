using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Veritas.Scim.Gateway.Diagnostics;
using Veritas.Scim.Gateway.Hosting;
using Veritas.Scim.Gateway.Scim;
using Veritas.Scim.Translation.Archive;
using Yarp.ReverseProxy.Configuration;

namespace Veritas.Scim.Gateway.Doctor;

/// <summary>
/// The checks of <c>doctor</c> on a built (never started) host: nothing is created or changed.
/// Each check says what it found and, when it is not a pass, what to do.
/// </summary>
internal sealed class DeploymentDoctor(IServiceProvider services, IConfiguration configuration, HttpMessageHandler httpHandler)
{
    /// <summary>The URL Entra is given (Tenant URL = this + /scim/{tenant}/v2).</summary>
    public const string PublicBaseUrlSetting = "Scim:PublicBaseUrl";

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(5);

    public async Task<IReadOnlyList<Finding>> CheckStoreAndTenantsAsync(CancellationToken cancellationToken)
    {
        var findings = new List<Finding>(await services.GetRequiredService<IArchiveStoreDiagnostics>().DiagnoseAsync(cancellationToken));
        if (findings.Any(finding => finding.Status == FindingStatus.Fail))
        {
            findings.Add(new Finding("tenant with a live token", FindingStatus.Fail, "Not checked: the store is not ready.", "Fix the store first."));
            return findings;
        }

        var tenants = services.GetRequiredService<ITenantStore>();
        var live = new List<string>();
        var all = await tenants.ListTenantsAsync(cancellationToken);
        foreach (var tenant in all)
        {
            if ((await tenants.ListTokensAsync(tenant.TenantKey, cancellationToken)).Any(token => token.RevokedUtc is null))
            {
                live.Add(tenant.TenantKey);
            }
        }

        findings.Add(live.Count > 0
            ? new Finding("tenant with a live token", FindingStatus.Pass, $"{live.Count} of {all.Count} tenants have a live token: {string.Join(", ", live.Take(5))}{(live.Count > 5 ? ", …" : string.Empty)}.")
            : new Finding("tenant with a live token", FindingStatus.Fail, all.Count == 0 ? "There is no tenant." : "No tenant has a live token.", "Run `tenant add KEY --customer NAME` (or `tenant token add KEY`) and give Entra the token."));
        return findings;
    }

    public async Task<IReadOnlyList<Finding>> CheckRoutesAsync(CancellationToken cancellationToken)
    {
        var config = services.GetRequiredService<IProxyConfigProvider>().GetConfig();
        var findings = new List<Finding>();
        var scimRoutes = config.Routes.Where(ScimProxyPipeline.IsScimRoute).ToList();
        if (scimRoutes.Count == 0)
        {
            findings.Add(new Finding("SCIM route", FindingStatus.Fail, "No route carries Metadata Handler=Scim: SCIM requests would go to the legacy archive.", "Add the \"scim\" route of appsettings.json to ReverseProxy:Routes."));
        }

        foreach (var route in scimRoutes)
        {
            findings.Add(string.Equals(route.AuthorizationPolicy, ScimGatewayApplication.ScimAuthorizationPolicy, StringComparison.OrdinalIgnoreCase)
                ? new Finding($"SCIM route {route.RouteId}", FindingStatus.Pass, $"{route.Match.Path} requires the tenant token policy.")
                : new Finding($"SCIM route {route.RouteId}", FindingStatus.Fail, $"{route.Match.Path} has authorization policy '{route.AuthorizationPolicy ?? "(none)"}': the gateway refuses it (503).", $"Set ReverseProxy:Routes:{route.RouteId}:AuthorizationPolicy to {ScimGatewayApplication.ScimAuthorizationPolicy}."));
        }

        using var client = new HttpClient(httpHandler, disposeHandler: false) { Timeout = ProbeTimeout };
        foreach (var route in config.Routes.Where(route => !ScimProxyPipeline.IsScimRoute(route)))
        {
            var cluster = config.Clusters.FirstOrDefault(c => c.ClusterId == route.ClusterId);
            var destinations = cluster?.Destinations?.Values.ToList() ?? [];
            if (destinations.Count == 0)
            {
                findings.Add(new Finding($"legacy route {route.RouteId}", FindingStatus.Fail, $"Cluster '{route.ClusterId}' has no destination: requests on {route.Match.Path} would fail with 503.", $"Set ReverseProxy:Clusters:{route.ClusterId}:Destinations to the archive's web endpoint."));
                continue;
            }

            foreach (var destination in destinations)
            {
                findings.Add(await ProbeAsync(client, route, destination.Address, cancellationToken));
            }
        }

        return findings;
    }

    public async Task<Finding> CheckPublicUrlAsync(CancellationToken cancellationToken)
    {
        const string Check = "public URL and TLS";
        var configured = configuration[PublicBaseUrlSetting];
        if (string.IsNullOrWhiteSpace(configured))
        {
            var certificate = KestrelCertificate();
            if (certificate is { } cert)
            {
                using (cert)
                {
                    return IsSelfSigned(cert)
                        ? new Finding(Check, FindingStatus.Warn, $"Kestrel's certificate {cert.Subject} is self-signed: Entra refuses it.", "Use a certificate from a public CA (or terminate TLS at an ingress with one).")
                        : new Finding(Check, FindingStatus.Warn, $"Kestrel serves HTTPS with {cert.Subject}, but {PublicBaseUrlSetting} is not set.", $"Set {PublicBaseUrlSetting} to the https URL Entra calls.");
                }
            }

            return new Finding(Check, FindingStatus.Warn, $"{PublicBaseUrlSetting} is not set and Kestrel has no certificate: Entra requires HTTPS with a publicly trusted certificate.", $"Terminate TLS at the ingress and set {PublicBaseUrlSetting}=https://…, or configure Kestrel:Certificates:Default.");
        }

        if (!Uri.TryCreate(configured, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            return new Finding(Check, FindingStatus.Fail, $"{PublicBaseUrlSetting} '{configured}' is not an absolute http(s) URL.", $"Set {PublicBaseUrlSetting} to e.g. https://scim.example.com.");
        }

        if (url.Scheme == Uri.UriSchemeHttp)
        {
            return new Finding(Check, FindingStatus.Warn, $"{url} is plain HTTP: Entra only calls HTTPS Tenant URLs.", "Serve the gateway behind HTTPS with a publicly trusted certificate.");
        }

        return await ProbeTlsAsync(Check, url, cancellationToken);
    }

    public async Task<Finding> CheckTelemetryExporterAsync(CancellationToken cancellationToken)
    {
        const string Check = "OpenTelemetry exporter";
        var endpoint = configuration[GatewayTelemetry.OtlpEndpointSetting];
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return new Finding(Check, FindingStatus.Pass, $"Not configured ({GatewayTelemetry.OtlpEndpointSetting} unset): nothing is exported.");
        }

        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var url))
        {
            return new Finding(Check, FindingStatus.Fail, $"{GatewayTelemetry.OtlpEndpointSetting} '{endpoint}' is not an absolute URL.", "Set it to the collector, e.g. http://otel-collector:4317.");
        }

        try
        {
            using var tcp = new TcpClient();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ProbeTimeout);
            await tcp.ConnectAsync(url.Host, url.Port, timeout.Token);
            return new Finding(Check, FindingStatus.Pass, $"{url.Host}:{url.Port} accepts connections.");
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException)
        {
            return new Finding(Check, FindingStatus.Fail, $"{url.Host}:{url.Port} does not accept connections ({exception.Message}).", "Start the collector or correct OTEL_EXPORTER_OTLP_ENDPOINT.");
        }
    }

    private static async Task<Finding> ProbeAsync(HttpClient client, RouteConfig route, string address, CancellationToken cancellationToken)
    {
        var check = $"legacy route {route.RouteId}";
        try
        {
            using var response = await client.GetAsync(new Uri(address), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return new Finding(check, FindingStatus.Pass, $"{address} answers (HTTP {(int)response.StatusCode}).");
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or UriFormatException)
        {
            return new Finding(check, FindingStatus.Fail, $"{address} does not answer: {exception.Message}", $"Start the archive's web endpoint or correct ReverseProxy:Clusters:{route.ClusterId}:Destinations.");
        }
    }

    private static async Task<Finding> ProbeTlsAsync(string check, Uri url, CancellationToken cancellationToken)
    {
        var errors = SslPolicyErrors.None;
        string? subject = null;
        try
        {
            using var tcp = new TcpClient();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(ProbeTimeout);
            await tcp.ConnectAsync(url.Host, url.Port, timeout.Token);
            await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false, (_, certificate, _, policyErrors) =>
            {
                errors = policyErrors;
                subject = certificate?.Subject;
                return policyErrors == SslPolicyErrors.None;
            });
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = url.Host }, timeout.Token);
        }
        catch (System.Security.Authentication.AuthenticationException) when (errors != SslPolicyErrors.None)
        {
            return new Finding(check, FindingStatus.Warn, $"{url} serves a certificate Entra will not trust ({subject}: {errors}).", "Use a certificate from a public CA whose name matches the host.");
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException or IOException or System.Security.Authentication.AuthenticationException)
        {
            return new Finding(check, FindingStatus.Warn, $"{url} could not be reached from here to check its certificate ({exception.Message}).", "Run doctor where the public URL resolves, or check the certificate at the ingress.");
        }

        return new Finding(check, FindingStatus.Pass, $"{url} serves a trusted certificate ({subject}).");
    }

    private X509Certificate2? KestrelCertificate()
    {
        var path = configuration["Kestrel:Certificates:Default:Path"];
        if (string.IsNullOrWhiteSpace(path) || !File.Exists(path))
        {
            return null;
        }

        try
        {
            return X509CertificateLoader.LoadPkcs12FromFile(path, configuration["Kestrel:Certificates:Default:Password"]);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return X509CertificateLoader.LoadCertificateFromFile(path);
        }
    }

    private static bool IsSelfSigned(X509Certificate2 certificate) => certificate.SubjectName.RawData.AsSpan().SequenceEqual(certificate.IssuerName.RawData);
}
