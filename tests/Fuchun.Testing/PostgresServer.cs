using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Fuchun.Testing;

/// <summary>
/// A real, throwaway PostgreSQL server for tests: <c>initdb</c> into a temporary folder and <c>pg_ctl</c> on a
/// free loopback port, from the installed binaries (Debian: postgresql-15 and postgresql-15-postgis-3), stopped
/// and deleted when the test run ends. <c>FUCHUN_TEST_POSTGRES</c> (a connection string to a server whose user
/// may create databases and the postgis extension) is used instead when set. One server per test assembly;
/// each test gets its own database.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static PostgresServer? instance;
    private static string? unavailable;

    private readonly string? dataDirectory;
    private readonly string? pgCtl;
    private readonly bool asPostgresUser;
    private int databaseCounter;

    private PostgresServer(string adminConnectionString, string? dataDirectory, string? pgCtl, bool asPostgresUser)
    {
        AdminConnectionString = adminConnectionString;
        this.dataDirectory = dataDirectory;
        this.pgCtl = pgCtl;
        this.asPostgresUser = asPostgresUser;
    }

    public string AdminConnectionString { get; }

    /// <summary>
    /// A connection string to a new, empty database on the shared server; skips the test (or fails it under
    /// FUCHUN_REQUIRE_ALL=1) when no server can be had.
    /// </summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var server = await GetAsync();
        if (server is null)
        {
            Requirements.Missing(unavailable!);
            throw new InvalidOperationException("unreachable");
        }

        var name = $"fuchun_test_{Environment.ProcessId}_{Interlocked.Increment(ref server.databaseCounter)}";
        await using (var connection = new NpgsqlConnection(server.AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(server.AdminConnectionString) { Database = name, Pooling = false }.ConnectionString;
    }

    private static async Task<PostgresServer?> GetAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (instance is not null || unavailable is not null)
            {
                return instance;
            }

            var external = Environment.GetEnvironmentVariable("FUCHUN_TEST_POSTGRES");
            if (!string.IsNullOrEmpty(external))
            {
                instance = new PostgresServer(external, null, null, false);
                return instance;
            }

            instance = await StartAsync();
            if (instance is not null)
            {
                AppDomain.CurrentDomain.ProcessExit += (_, _) => instance.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            return instance;
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<PostgresServer?> StartAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(b => File.Exists(Path.Combine(b, "initdb"))).OrderDescending().FirstOrDefault()
            : null;
        if (bin is null)
        {
            unavailable = "PostgreSQL is not installed: apt-get install postgresql-15 postgresql-15-postgis-3 (or set FUCHUN_TEST_POSTGRES)";
            return null;
        }

        var version = Path.GetFileName(Path.GetDirectoryName(bin))!;
        if (!File.Exists($"/usr/share/postgresql/{version}/extension/postgis.control"))
        {
            unavailable = $"PostGIS is not installed for PostgreSQL {version}: apt-get install postgresql-{version}-postgis-3";
            return null;
        }

        // initdb refuses to run as root; as root (CI), run the server as the postgres system user.
        var asPostgres = Environment.UserName == "root";
        var directory = Path.Combine(Path.GetTempPath(), $"fuchun-pg-{Environment.ProcessId}-{Guid.NewGuid():N}");
        var data = Path.Combine(directory, "data");
        Directory.CreateDirectory(directory);
        if (asPostgres)
        {
            await RunAsync("chown", ["postgres:postgres", directory], false);
        }

        var port = FreePort();
        await RunAsync(Path.Combine(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"], asPostgres);
        var options = $"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
        var pgCtl = Path.Combine(bin, "pg_ctl");
        await RunAsync(pgCtl, ["-D", data, "-o", options, "-l", Path.Combine(directory, "server.log"), "-w", "-t", "60", "start"], asPostgres);
        var connection = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false";
        return new PostgresServer(connection, data, pgCtl, asPostgres);
    }

    public async ValueTask DisposeAsync()
    {
        if (pgCtl is null || dataDirectory is null)
        {
            return;
        }

        try
        {
            await RunAsync(pgCtl, ["-D", dataDirectory, "-m", "immediate", "-w", "stop"], asPostgresUser);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(dataDirectory)!, recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, IReadOnlyList<string> args, bool asPostgres)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres)
        {
            foreach (var a in new[] { "-u", "postgres", "--", file })
            {
                start.ArgumentList.Add(a);
            }
        }

        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {await stderr}{await stdout}");
        }
    }
}
