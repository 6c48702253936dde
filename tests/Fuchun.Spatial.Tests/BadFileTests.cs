using System.IO.Compression;
using Fuchun.Spatial.IO;
using NetTopologySuite.Features;

namespace Fuchun.Spatial.Tests;

/// <summary>Files that cannot be read as given: each refused with a message naming the file and what is wrong.</summary>
public sealed class BadFileTests : IDisposable
{
    private readonly DirectoryInfo dir = Directory.CreateTempSubdirectory("fuchun-badfile-");

    public void Dispose()
    {
        GeometryFiles.SetLimitForThisFlow(null);
        dir.Delete(recursive: true);
    }

    private string Shapefile(string name, int features = 50)
    {
        var path = Path.Combine(dir.FullName, name + ".shp");
        var list = Enumerable.Range(0, features).Select(i =>
        {
            double x = 120 + (i * 0.001), y = 30;
            return (IFeature)new Feature(Cgcs2000.Factory.CreatePolygon([new(x, y), new(x + 0.001, y), new(x + 0.001, y + 0.001), new(x, y + 0.001), new(x, y)]),
                new AttributesTable { { "DLBM", "0101" } });
        }).ToList();
        FeatureFileWriter.Write(path, name, list);
        return path;
    }

    [Fact]
    public void TruncatedShapefile_IsRefused_NamingTheFile()
    {
        var path = Shapefile("truncated");
        using (var stream = new FileStream(path, FileMode.Open))
        {
            stream.SetLength(stream.Length / 2);
        }

        var error = Assert.Throws<SpatialInputException>(() => GeometryFiles.ReadFeatures(path));

        Assert.Contains("truncated.shp", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ShapefileWithoutItsDbf_NamesTheMissingPart()
    {
        var path = Shapefile("nodbf");
        File.Delete(Path.ChangeExtension(path, ".dbf"));

        var error = Assert.Throws<SpatialInputException>(() => GeometryFiles.ReadFeatures(path));

        Assert.Contains(".dbf", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FileBeyondTheSizeLimit_IsRefusedBeforeReading()
    {
        var path = Shapefile("large");
        GeometryFiles.SetLimitForThisFlow(1024);

        var error = Assert.Throws<SpatialInputException>(() => GeometryFiles.ReadFeatures(path));

        Assert.Contains("超过", error.Message, StringComparison.Ordinal);
        Assert.Contains("large.shp", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ZipExpandingBeyondTheLimit_IsRefused_EvenWhenItsEntriesUnderstateTheirSize()
    {
        // A small archive of zeros that expands to 64 KiB, against a 16 KiB limit.
        var zip = Path.Combine(dir.FullName, "bomb.zip");
        using (var archive = ZipFile.Open(zip, ZipArchiveMode.Create))
        {
            using var entry = archive.CreateEntry("DLTB.shp", CompressionLevel.Optimal).Open();
            entry.Write(new byte[64 * 1024]);
        }

        Assert.True(new FileInfo(zip).Length < 16 * 1024);
        GeometryFiles.SetLimitForThisFlow(16 * 1024);

        var error = Assert.Throws<SpatialInputException>(() => GeometryFiles.ReadFeatures(zip));

        Assert.Contains("解压后超过", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Directory.EnumerateDirectories(Path.GetTempPath(), "fuchun-zip-*"), d => Directory.EnumerateFiles(d, "DLTB.shp").Any());
    }
}
