using Fuchun.Testing;
using Fuchun.Tests;
using Microsoft.AspNetCore.Builder;
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

    protected RunningServer(bool postgres = false, bool demo = true)
    {
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

    public HttpClient Client { get; private set; } = null!;

    /// <summary>The running platform's services (to set up accounts as an administrator would at the console).</summary>
    public IServiceProvider Services => app!.Services;

    /// <summary>What the platform printed at warning level or above, as an operator would read it.</summary>
    public IReadOnlyList<string> Printed => printed.Lines;

    public async ValueTask InitializeAsync()
    {
        var database = Postgres ? await PostgresServer.CreateDatabaseAsync() : Path.Combine(directory!, "fuchun.gpkg");
        app = await FuchunApp.BuildAsync(["--urls", "http://127.0.0.1:0"], builder =>
        {
            builder.Configuration["Fuchun:Database"] = database;
            builder.Configuration["Fuchun:Demo"] = Demo ? "true" : "false";
            builder.Configuration["Fuchun:WebUi"] = Path.Combine(SharedData.RepositoryRoot, "src", "Fuchun.Server", "ClientApp", "dist");
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Logging.AddProvider(printed);
        });
        await app.StartAsync();
        // Kestrel reports the port it bound once started.
        var address = app.Urls.First();
        BaseAddress = new Uri(address);
        Client = new HttpClient { BaseAddress = BaseAddress };
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
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
