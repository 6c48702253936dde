namespace Fuchun.Tests;

/// <summary>
/// Finds the workplace's <c>shared/</c> folder (policy, spec and real data), which lies beside the repository:
/// the folder above the one holding <c>Fuchun.slnx</c>. <c>FUCHUN_SHARED</c> overrides it.
/// </summary>
internal static class SharedData
{
    public static string Root { get; } = Find();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string RepositoryRoot { get; } = FindRepository();

    /// <summary>
    /// The rows of a tab-separated reference file under <c>shared/data</c>, split into columns, without its
    /// <c>#</c> comment lines and its header (the first line that is not a comment).
    /// </summary>
    public static IEnumerable<string[]> TsvRows(params string[] parts) =>
        File.ReadLines(PathOf(["data", .. parts])).Where(l => !l.StartsWith('#') && l.Length > 0).Skip(1).Select(l => l.Split('\t'));

    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Fuchun.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Fuchun.slnx not found above " + AppContext.BaseDirectory);
    }

    private static string Find()
    {
        var fromEnv = Environment.GetEnvironmentVariable("FUCHUN_SHARED");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return fromEnv;
        }

        var candidate = Path.GetFullPath(Path.Combine(FindRepository(), "..", "shared"));
        return Directory.Exists(candidate)
            ? candidate
            : throw new InvalidOperationException($"shared/ not found at {candidate}; set FUCHUN_SHARED");
    }
}
