namespace Fuchun.Storage;

/// <summary>
/// Where the platform keeps its data: an embedded GeoPackage file (the default) or a PostgreSQL/PostGIS server.
/// </summary>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString)
{
    /// <summary>The embedded default, relative to the working directory.</summary>
    public const string DefaultFile = ".fuchun/fuchun.gpkg";

    /// <summary>
    /// Where uploaded documents are kept (never under the web root): <c>Fuchun:Documents</c> when set; beside the
    /// embedded database file (<c>fuchun.documents/</c>); for a server database, under the user's local data folder.
    /// </summary>
    public string? DocumentsRoot { get; init; }

    /// <summary>
    /// The host is the embedded file's only user while it writes a layer (the CLI): the write goes through SQLite's
    /// rollback journal instead of the WAL when the file can be had to itself, so that a large layer's pages are
    /// written once into the file rather than into the WAL and then again by the checkpoint. Where the file is open
    /// elsewhere (a running server), the write stays in WAL mode. Either way it is one transaction.
    /// </summary>
    public bool ExclusiveLayerWrites { get; init; }

    public string ResolveDocumentsRoot()
    {
        if (DocumentsRoot is { Length: > 0 } configured)
        {
            return Path.GetFullPath(configured);
        }

        if (Provider == DatabaseProvider.Sqlite)
        {
            var file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(ConnectionString).DataSource;
            return Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file))!, Path.GetFileNameWithoutExtension(file) + ".documents");
        }

        var database = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString).Database ?? "fuchun";
        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "fuchun", "documents", database);
    }

    public static DatabaseSettings Embedded(string path) =>
        new(DatabaseProvider.Sqlite, $"Data Source={Path.GetFullPath(path)};Pooling=True");

    /// <summary>
    /// Reads a database setting: a PostgreSQL connection string (<c>Host=…</c>) or URI (<c>postgres://…</c>,
    /// <c>postgresql://…</c>); a SQLite connection string (<c>Data Source=…</c>); or a path to the embedded file.
    /// An empty value means the embedded default.
    /// </summary>
    public static DatabaseSettings Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return Embedded(DefaultFile);
        }

        value = value.Trim();
        if (value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            return new(DatabaseProvider.Postgres, FromUri(new Uri(value)));
        }

        if (value.Contains("Host=", StringComparison.OrdinalIgnoreCase))
        {
            return new(DatabaseProvider.Postgres, value);
        }

        if (value.Contains("Data Source=", StringComparison.OrdinalIgnoreCase))
        {
            return new(DatabaseProvider.Sqlite, value);
        }

        return Embedded(value);
    }

    private static string FromUri(Uri uri)
    {
        var userInfo = uri.UserInfo.Split(':', 2);
        var parts = new List<string> { $"Host={uri.Host}", $"Port={(uri.Port > 0 ? uri.Port : 5432)}", $"Database={uri.AbsolutePath.Trim('/')}" };
        if (userInfo[0].Length > 0)
        {
            parts.Add($"Username={Uri.UnescapeDataString(userInfo[0])}");
        }

        if (userInfo.Length > 1)
        {
            parts.Add($"Password={Uri.UnescapeDataString(userInfo[1])}");
        }

        return string.Join(';', parts);
    }

    /// <summary>The setting with any password hidden, for logs and messages.</summary>
    public string Describe() => Provider == DatabaseProvider.Sqlite
        ? $"SQLite/GeoPackage {ConnectionString}"
        : "PostgreSQL " + string.Join(';', ConnectionString.Split(';').Where(p => !p.TrimStart().StartsWith("Password", StringComparison.OrdinalIgnoreCase)));
}
