using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Veritas.Scim.Gateway.Audit;
using Veritas.Scim.Gateway.Authentication;
using Veritas.Scim.Gateway.Configuration;
using Veritas.Scim.Gateway.Diagnostics;
using Veritas.Scim.Gateway.RateLimiting;
using Veritas.Scim.Gateway.Scim;
using Veritas.Scim.Gateway.Storage;
using Veritas.Scim.Translation.Aliases;
using Veritas.Scim.Translation.Users;

namespace Veritas.Scim.Gateway.Hosting;

/// <summary>How the gateway is put together; Program.cs and the end-to-end tests both build it here.</summary>
public static class ScimGatewayApplication
{
    public const string ScimAuthorizationPolicy = "scim-tenant";
    public const string ScimTimeoutPolicy = "scim";

    /// <param name="configure">Runs before the gateway's services are added (configuration sources, logging).</param>
    /// <param name="replaceServices">Runs after they are added, so that a test can decorate one.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null, Action<IServiceCollection>? replaceServices = null)
    {
        // Settings travel with the executable, so the gateway reads the same appsettings.json
        // whichever folder it is started from; relative data paths are from that folder.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        configure?.Invoke(builder);
        builder.AddScimGateway();
        replaceServices?.Invoke(builder.Services);
        var app = builder.Build();
        app.UseScimGateway();
        app.MapScimGateway();
        return app;
    }

    public static WebApplicationBuilder AddScimGateway(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;

        builder.AddScimTelemetry();
        services.AddScimGatewayOptions();
        services.AddArchiveStore(builder.Configuration);
        if (ArchiveStoreRegistration.UsesEmbeddedStore(builder.Configuration)
            && builder.Configuration.GetSection(ScimGatewayOptions.SectionName).GetValue(nameof(ScimGatewayOptions.CreateDemoTenant), true))
        {
            services.AddHostedService<DemoTenantBootstrapper>();
        }

        services.AddAuditRetention();
        services.AddScimTranslation();
        services.AddTrustedForwardedHeaders();
        services.AddScimAuthentication();
        services.AddTenantRateLimiting();
        services.AddRequestTimeouts(timeouts => timeouts.AddPolicy(ScimTimeoutPolicy, TimeSpan.FromSeconds(30)));
        services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy")).AddConfigFilter<ScimRouteSafety>();
        return builder;
    }

    public static WebApplication UseScimGateway(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseTrustedForwardedHeaders();
        app.UsePrometheusScrapeEndpoint();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseRequestTimeouts();
        return app;
    }

    public static WebApplication MapScimGateway(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapScimHealthChecks();
        app.MapReverseProxy(pipeline =>
        {
            pipeline.UseScimHandler();
            pipeline.UseSessionAffinity();
            pipeline.UseLoadBalancing();
            pipeline.UsePassiveHealthChecks();
        });
        return app;
    }

    private static IServiceCollection AddScimTranslation(this IServiceCollection services)
    {
        services.AddSingleton(provider => new UserMapper(new EmailAliasOptions
        {
            MaxCount = provider.GetRequiredService<IOptions<ScimGatewayOptions>>().Value.MaxAliasesPerUser,
        }));
        services.AddOptions<UserFilterOptions>().BindConfiguration(UserFilterOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(provider => provider.GetRequiredService<IOptions<UserFilterOptions>>().Value);
        services.AddSingleton<ScimUserService>();
        services.AddSingleton<ScimBaseUrl>();
        services.AddSingleton<ScimRequestHandler>();
        return services;
    }

    private static IServiceCollection AddScimAuthentication(this IServiceCollection services)
    {
        services.AddOptions<ScimFailedAuthenticationOptions>().BindConfiguration(ScimFailedAuthenticationOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<FailedAuthenticationLimiter>();
        services.AddSingleton<TenantTokenResolver>();
        services.AddAuthentication(ScimBearerAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ScimBearerAuthenticationHandler>(ScimBearerAuthenticationHandler.SchemeName, null);
        // The policy names no scheme: ScimBearer is the default, so the authentication middleware
        // has already run it, and naming it would authenticate every request a second time.
        services.AddAuthorizationBuilder()
            .AddPolicy(ScimAuthorizationPolicy, policy => policy.RequireAuthenticatedUser());
        return services;
    }
}
