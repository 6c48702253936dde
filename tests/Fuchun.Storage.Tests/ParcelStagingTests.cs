using Fuchun.Storage.Postgres;

namespace Fuchun.Storage.Tests;

/// <summary>How a layer's rows are split into chunks (<see cref="ParcelStaging.RowsOfChunk"/>): no database needed.</summary>
public sealed class ParcelStagingTests
{
    /// <summary>The chunk sizes a layer of <paramref name="rows"/> rows gets when <paramref name="expected"/> were declared.</summary>
    private static List<int> Plan(long rows, long? expected, int chunkRows = 200_000)
    {
        var sizes = new List<int>();
        for (var written = 0L; written < rows;)
        {
            var size = (int)Math.Min(ParcelStaging.RowsOfChunk(chunkRows, expected, written), rows - written);
            sizes.Add(size);
            written += size;
        }

        return sizes;
    }

    [Fact]
    public void ALayerOfSeveralChunks_EndsOnAboutThreeQuartersAndAQuarterOfWhatIsLeft()
    {
        // The 1M mosaic: the 227 866 rows after four full chunks.
        Assert.Equal([200_000, 200_000, 200_000, 200_000, 170_900, 56_966], Plan(1_027_866, 1_027_866));
        // A whole number of chunks: the last full one is split too.
        Assert.Equal([200_000, 200_000, 200_000, 200_000, 150_000, 50_000], Plan(1_000_000, 1_000_000));
        // Just over a chunk and a third: full chunks until what is left is no more.
        Assert.Equal([200_000, 200_000, 52_500, 17_500], Plan(470_000, 470_000));
        Assert.Equal([200_000, 150_001, 50_000], Plan(400_001, 400_001));
    }

    [Fact]
    public void ALayerThatFitsOneChunk_StaysOne_AndWithoutACountEveryChunkIsFull()
    {
        Assert.Equal([150_000], Plan(150_000, 150_000));
        Assert.Equal([200_000], Plan(200_000, 200_000));
        Assert.Equal([200_000, 200_000, 200_000, 200_000, 200_000, 27_866], Plan(1_027_866, null));
    }

    [Fact]
    public void MoreRowsThanDeclared_GoOnInFullChunks()
    {
        Assert.Equal([200_000, 150_000, 200_000, 200_000, 50_000], Plan(800_000, 400_000));
        Assert.All(Enumerable.Range(0, 40).Select(k => ParcelStaging.RowsOfChunk(12, 30, k)), rows => Assert.InRange(rows, 1, 12));
    }

    [Fact]
    public void ChunksGrowPastAQuarterOfTheSharedBuffers_OnlyWhenThatTakesAtMostFourChunksWorth()
    {
        // 1 GB of shared buffers (a quarter: 256 MB) and the 1M mosaic's rows (608 bytes in the COPY): 5% past it.
        var ring = 256L * 1024 * 1024;
        var rows = ParcelStaging.RingChunkRows(200_000, ring, 608);
        Assert.Equal(Math.Ceiling(ring * 1.05 / 608), rows);
        Assert.InRange(rows * 608.0, ring * 1.04, ring * 1.06);
        // The default 128 MB (a quarter: 32 MB) is passed by the usual chunks already.
        Assert.Equal(200_000, ParcelStaging.RingChunkRows(200_000, 32L * 1024 * 1024, 608));
        // 8 GB would take chunks of over three million rows: the usual ones instead.
        Assert.Equal(200_000, ParcelStaging.RingChunkRows(200_000, 2048L * 1024 * 1024, 608));
        // Nothing measured: the usual ones.
        Assert.Equal(200_000, ParcelStaging.RingChunkRows(200_000, ring, 0));
    }
}
