namespace Fuchun.Server.Endpoints;

/// <summary>
/// An uploaded file saved to a private temporary folder (the readers need a file: a GeoPackage is a database, a
/// Shapefile several files); disposing deletes the folder.
/// </summary>
internal sealed class SavedUpload : IDisposable
{
    private readonly DirectoryInfo folder;

    private SavedUpload(DirectoryInfo folder, string path, string fileName)
    {
        this.folder = folder;
        Path = path;
        FileName = fileName;
    }

    /// <summary>Where the upload is on disk.</summary>
    public string Path { get; }

    /// <summary>The name the user gave the file, for messages.</summary>
    public string FileName { get; }

    /// <summary>Saves <paramref name="file"/> as <c>upload</c> + <paramref name="extension"/>.</summary>
    public static async Task<SavedUpload> SaveAsync(IFormFile file, string extension, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("fuchun-upload-");
        var path = System.IO.Path.Combine(folder.FullName, "upload" + extension);
        await using (var stream = File.Create(path))
        {
            await file.CopyToAsync(stream, cancellationToken);
        }

        return new SavedUpload(folder, path, file.FileName);
    }

    /// <summary><paramref name="text"/> with the temporary path replaced by the user's file name.</summary>
    public string Named(string text) => text.Replace(Path, FileName, StringComparison.Ordinal);

    public void Dispose() => folder.Delete(recursive: true);
}
