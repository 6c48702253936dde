using Fuchun.Domain.Governance;
using Fuchun.Storage.Governance;
using Fuchun.Testing;
using Fuchun.Tests;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

[assembly: AssemblyFixture(typeof(Fuchun.Server.Tests.DemoServer))]

namespace Fuchun.Server.Tests;

/// <summary>
/// The real platform, started in-process on a free loopback port (Kestrel, not a test host) over a database of
/// its own, with the web UI as the build bundled it.
/// </summary>
public class RunningServer : IAsyncLifetime
{
    private readonly string? directory;
    private WebApplication? app;
    private readonly PrintedLines printed = new();
    private readonly Dictionary<string, TestAccount> accounts = [];
    private readonly SemaphoreSlim accountLock = new(1, 1);
    private readonly IReadOnlyDictionary<string, string> settings;

    protected RunningServer(bool postgres = false, bool demo = true, IReadOnlyDictionary<string, string>? settings = null)
    {
        this.settings = settings ?? new Dictionary<string, string>
        {
            // Every browser test signs in from this one address within a minute or two.
            ["Fuchun:Security:SignInsPerMinute"] = "10000",
        };
        Postgres = postgres;
        Demo = demo;
        if (!postgres)
        {
            directory = Path.Combine(Path.GetTempPath(), "fuchun-server-test-" + Guid.NewGuid().ToString("N"));
        }
    }

    public bool Postgres { get; }

    public bool Demo { get; }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>A client signed in with the token of a city bureau account (<see cref="CityUser"/>).</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <summary>A client that presents no credential.</summary>
    public HttpClient Anonymous { get; private set; } = null!;

    /// <summary>The city bureau account the tests act as unless they say otherwise.</summary>
    public const string CityUser = "test.city";

    /// <summary>The running platform's services (to set up accounts as an administrator would at the console).</summary>
    public IServiceProvider Services => app!.Services;

    /// <summary>Every endpoint the running platform serves (routes with their HTTP methods and metadata).</summary>
    public IReadOnlyList<Microsoft.AspNetCore.Routing.RouteEndpoint> Endpoints =>
        [.. ((Microsoft.AspNetCore.Routing.IEndpointRouteBuilder)app!).DataSources.SelectMany(d => d.Endpoints).OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()];

    /// <summary>What the platform printed at warning level or above, as an operator would read it.</summary>
    public IReadOnlyList<string> Printed => printed.Lines;

    public async ValueTask InitializeAsync()
    {
        var database = Postgres ? await PostgresServer.CreateDatabaseAsync() : Path.Combine(directory!, "fuchun.gpkg");
        app = await FuchunApp.BuildAsync(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Configuration["Fuchun:Database"] = database;
            builder.Configuration["Fuchun:Demo"] = Demo ? "true" : "false";
            foreach (var (key, value) in settings)
            {
                builder.Configuration[key] = value;
            }

            builder.Configuration["Fuchun:WebUi"] = Path.Combine(SharedData.RepositoryRoot, "src", "Fuchun.Server", "ClientApp", "dist");
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Logging.AddProvider(printed);
        });
        await app.StartAsync();
        // Kestrel reports the port it bound once started.
        var address = app.Urls.First();
        BaseAddress = new Uri(address);
        Anonymous = new HttpClient { BaseAddress = BaseAddress };
        Client = ClientWith((await AccountAsync(CityUser, [Role.CityBureau])).Token);
    }

    /// <summary>A client presenting <paramref name="token"/>.</summary>
    public HttpClient ClientWith(string token)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>
    /// An account with <paramref name="roles"/>, made as an administrator makes one (created with a handed-over
    /// password, which its owner then changes), with a token; the same account for the same name.
    /// </summary>
    public async Task<TestAccount> AccountAsync(string userName, Role[] roles, string? district = null, string? township = null)
    {
        await accountLock.WaitAsync();
        try
        {
            if (accounts.TryGetValue(userName, out var known))
            {
                return known;
            }

            await using var scope = app!.Services.CreateAsyncScope();
            var service = scope.ServiceProvider.GetRequiredService<AccountService>();
            var created = await service.AddAsync(userName, userName, roles, district, requireRole: roles.Length > 0, townshipCode: township);
            var password = "Test-" + Guid.NewGuid().ToString("N")[..12] + "x9";
            await service.ChangePasswordAsync(userName, created.InitialPassword, password);
            var (token, record) = await service.IssueTokenAsync(userName, "test", TimeSpan.FromDays(1));
            return accounts[userName] = new TestAccount(userName, password, token, record.Id);
        }
        finally
        {
            accountLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        Anonymous?.Dispose();
        accountLock.Dispose();
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (directory is not null && Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        GC.SuppressFinalize(this);
    }
}

/// <summary>A test's account: its password (already changed from the handed-over one) and a token.</summary>
public sealed record TestAccount(string UserName, string Password, string Token, int TokenId);

/// <summary>One server with the full demo city, shared by the API and browser tests of this assembly.</summary>
public sealed class DemoServer() : RunningServer(postgres: false, demo: true);

/// <summary>Keeps the lines the platform logs, as its console shows them to whoever started it.</summary>
internal sealed class PrintedLines : ILoggerProvider
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> lines = new();

    public IReadOnlyList<string> Lines => [.. lines];

    public ILogger CreateLogger(string categoryName) => new Logger(lines);

    public void Dispose()
    {
    }

    private sealed class Logger(System.Collections.Concurrent.ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                lines.Enqueue(formatter(state, exception));
            }
        }
    }
}
