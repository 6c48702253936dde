using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.InteropServices;
using Fuchun.Spatial.Crs;
using Fuchun.Spatial.Resources;

namespace Fuchun.Spatial.IO;

/// <summary>
/// One shapefile record as stored, viewed in place: its shape type and, for a polygon, the first point of each
/// ring (<see cref="Parts"/>) and the points as interleaved x, y (<see cref="Xy"/>).
/// </summary>
public readonly ref struct ShapeRecord
{
    internal ShapeRecord(long index, int shapeType, ReadOnlySpan<int> parts, ReadOnlySpan<double> xy, ReadOnlySpan<byte> row)
    {
        Index = index;
        ShapeType = shapeType;
        Parts = parts;
        Xy = xy;
        Row = row;
    }

    /// <summary>The record's number in the file, from 0.</summary>
    public long Index { get; }

    public int ShapeType { get; }

    /// <summary>Polygon, PolygonZ or PolygonM.</summary>
    public bool IsPolygon => ShapeType is 5 or 15 or 25;

    /// <summary>The index of each ring's first point; ring k ends where ring k + 1 starts, the last at the end.</summary>
    public ReadOnlySpan<int> Parts { get; }

    public ReadOnlySpan<double> Xy { get; }

    /// <summary>The record's row of the .dbf (see <see cref="ShapeRecords.Table"/>), empty when it was not opened.</summary>
    public ReadOnlySpan<byte> Row { get; }
}

/// <summary>What to compute of each record.</summary>
public delegate T ShapeRecordFunc<out T>(ShapeRecord record);

/// <summary>
/// The records of a shapefile's .shp, for arithmetic over every vertex of a large file (areas) without building a
/// geometry per record. The file is checked as <see cref="GeometryFiles.OpenGeometries"/> checks it: its parts and
/// their lengths and counts, its coordinate system, every record's structure, every coordinate within the
/// coordinate system's range.
/// </summary>
/// <remarks>
/// Written here rather than read through NetTopologySuite.IO.Esri: the .shp is read in blocks of many records and
/// each block's records are computed on every core straight from the block, while the next block is read. Building
/// a geometry per record cost more than the survey area itself, and a record-at-a-time reader was the measured
/// critical path of the 1M benchmark.
/// </remarks>
public sealed class ShapeRecords
{
    internal ShapeRecords(string source, CoordinateSystem crs, long count, DbfTable? table = null) =>
        (Source, Crs, Count, Table) = (source, crs, count, table);

    public string Source { get; }

    /// <summary>
    /// The size of a block read at once (tests make it smaller than a record): a few thousand parcels. Everything
    /// made from a block lives until the store has written it, so larger blocks only hold more in memory for the
    /// collector to go over: a million-parcel import into PostGIS peaked at 1.2–1.4 GB with 16 MB blocks and at
    /// 450–530 MB with 1 MB ones, and took some 2 CPU-seconds less.
    /// </summary>
    internal int BlockBytes { get; set; } = 1 << 20;

    public CoordinateSystem Crs { get; }

    /// <summary>The number of records the .shx and .dbf declare.</summary>
    public long Count { get; }

    /// <summary>The .dbf when it was opened with the records: each record then comes with its row.</summary>
    public DbfTable? Table { get; }

    /// <summary>The shape type of the file's header (5 polygon, 15 PolygonZ, 25 PolygonM, ...).</summary>
    public int FileShapeType
    {
        get
        {
            Span<byte> header = stackalloc byte[36];
            using var stream = File.OpenRead(Source);
            stream.ReadExactly(header);
            return BinaryPrimitives.ReadInt32LittleEndian(header[32..]);
        }
    }

    /// <summary>
    /// <paramref name="map"/> of every record, block by block in file order (a block is a few tens of thousands of
    /// records): while the caller takes one block, the next is computed on every core and the one after is read,
    /// so a file of any size streams. The first bad record in file order throws <see cref="SpatialInputException"/>
    /// naming it, after the blocks before it were returned.
    /// </summary>
    public IEnumerable<T[]> MapBlocks<T>(ShapeRecordFunc<T> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("shapefile records are read in place as little-endian values");
        }

        return Blocks(map);
    }

    private IEnumerable<T[]> Blocks<T>(ShapeRecordFunc<T> map)
    {
        using var stream = new FileStream(Source, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        using var dbf = Table is null ? null : File.OpenHandle(Table.Path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        stream.ReadExactly(new byte[100]);
        var (current, spare) = (new byte[BlockBytes], new byte[BlockBytes]);
        var filled = stream.ReadAtLeast(current, current.Length, throwOnEndOfStream: false);
        var records = Split(current, filled, out var used, out var needed);
        long next = 0;
        Task<(T[] Results, string? Problem)>? computing = null;
        Task? inFlight = null;
        try
        {
            while (true)
            {
                if (next + records.Count > Count)
                {
                    throw new SpatialInputException(SpatialMessages.Get("ShapefileExtraRecords", Source, Count));
                }

                var (block, blockRecords, first) = (current, records, next);
                var started = Task.Run(() => Compute(block, blockRecords, first, dbf, map));
                inFlight = started;
                next += records.Count;

                // The block before is handed out while this one is computed; blocks are finished in file order, so the
                // first bad record found is the file's first.
                if (computing is not null)
                {
                    yield return Finished(computing);
                }

                computing = started;

                // While the block is computed, what is left of it (the start of a record) goes first into the other
                // buffer, which grows when one record does not fit, the rest of that buffer is read from the file, and
                // its records are found: the one thread that reads never holds up the cores that compute.
                var left = filled - used;
                if (needed > spare.Length)
                {
                    spare = new byte[needed];
                }

                current.AsSpan(used, left).CopyTo(spare);
                var read = stream.ReadAtLeast(spare.AsSpan(left), spare.Length - left, throwOnEndOfStream: false);
                records = Split(spare, left + read, out used, out needed);
                if (read == 0)
                {
                    var last = Finished(computing);
                    if (left > 0 || next != Count)
                    {
                        throw new SpatialInputException(SpatialMessages.Get("ShapefileShortRead", Source, next, Count));
                    }

                    yield return last;
                    yield break;
                }

                (current, spare, filled) = (spare, current, left + read);
            }
        }
        finally
        {
            // A caller that stops early (a problem found, cancelled) does not leave a block computing over the
            // buffers and the .dbf handle being released.
            if (inFlight is { IsCompleted: false })
            {
                ((IAsyncResult)inFlight).AsyncWaitHandle.WaitOne();
            }
        }
    }

    private static T[] Finished<T>(Task<(T[] Results, string? Problem)> computing)
    {
        var (results, problem) = computing.GetAwaiter().GetResult();
        return problem is null ? results : throw new SpatialInputException(problem);
    }

    /// <summary>
    /// The complete records at the start of <paramref name="block"/>: their content's offset and length. <paramref name="used"/>
    /// is where the first incomplete record starts; <paramref name="needed"/> the bytes that record needs.
    /// </summary>
    private static List<(int Offset, int Length)> Split(byte[] block, int filled, out int used, out int needed)
    {
        var records = new List<(int, int)>(filled / 256);
        var at = 0;
        needed = 0;
        while (at + 8 <= filled)
        {
            var length = 2L * BinaryPrimitives.ReadInt32BigEndian(block.AsSpan(at + 4));
            if (length < 0 || length > GeometryFiles.MaxBytes)
            {
                break;
            }

            if (at + 8 + length > filled)
            {
                needed = (int)(8 + length);
                break;
            }

            records.Add((at + 8, (int)length));
            at += 8 + (int)length;
        }

        used = at;
        return records;
    }

    /// <summary>The records of a block on every core, and the message of its first bad record, if any.</summary>
    private (T[] Results, string? Problem) Compute<T>(byte[] block, List<(int Offset, int Length)> records, long first, Microsoft.Win32.SafeHandles.SafeFileHandle? dbf, ShapeRecordFunc<T> map)
    {
        var results = new T[records.Count];
        byte[]? rows = null;
        var rowLength = Table?.RecordLength ?? 0;
        if (dbf is not null && records.Count > 0)
        {
            rows = ArrayPool<byte>.Shared.Rent(records.Count * rowLength);
            var want = records.Count * rowLength;
            var got = RandomAccess.Read(dbf, rows.AsSpan(0, want), Table!.HeaderLength + (first * rowLength));
            while (got < want)
            {
                var more = RandomAccess.Read(dbf, rows.AsSpan(got, want - got), Table.HeaderLength + (first * rowLength) + got);
                if (more == 0)
                {
                    ArrayPool<byte>.Shared.Return(rows);
                    return (results, SpatialMessages.Get("ShapefileShortRead", Table.Path, first + (got / rowLength), Count));
                }

                got += more;
            }
        }

        try
        {
            var bad = long.MaxValue;
            string? message = null;
            var gate = new Lock();
            // Ranges of 128 records: a 1 MB block holds some 2 300 parcels, which ranges of 1 024 split three ways
            // over two cores, one of them idle for a third of each block (`fuchun area` 1.62–1.89 s → 1.51–1.59 s).
            Parallel.ForEach(Partitioner.Create(0, records.Count, 128), range =>
            {
                var check = new GeometryFiles.RangeCheck(Crs);
                for (var k = range.Item1; k < range.Item2; k++)
                {
                    var index = first + k;
                    var (offset, length) = records[k];
                    var row = rows is null ? default : new ReadOnlySpan<byte>(rows, k * rowLength, rowLength);
                    if (Parse(block.AsSpan(offset, length), row, check, index, out var record) is { } problem)
                    {
                        lock (gate)
                        {
                            if (index < bad)
                            {
                                (bad, message) = (index, problem);
                            }
                        }

                        return;
                    }

                    results[k] = map(record);
                }
            });
            return (results, message);
        }
        finally
        {
            if (rows is not null)
            {
                ArrayPool<byte>.Shared.Return(rows);
            }
        }
    }

    /// <summary>Record <paramref name="index"/> (from 0) viewed in place, or the message saying what is wrong with it.</summary>
    // Compiled optimised at its first call: it is not in the ReadyToRun image, and unoptimised it ran for most of
    // a command while the runtime kept deferring its recompilation.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private string? Parse(ReadOnlySpan<byte> content, ReadOnlySpan<byte> row, GeometryFiles.RangeCheck check, long index, out ShapeRecord record)
    {
        record = default;
        if (content.Length < 4)
        {
            return SpatialMessages.Get("ShapefileShortRead", Source, index, Count);
        }

        var type = BinaryPrimitives.ReadInt32LittleEndian(content);
        if (type is not (5 or 15 or 25))
        {
            record = new ShapeRecord(index, type, [], [], row);
            return null;
        }

        var parts = content.Length < 44 ? -1 : BinaryPrimitives.ReadInt32LittleEndian(content[36..]);
        var points = content.Length < 44 ? -1 : BinaryPrimitives.ReadInt32LittleEndian(content[40..]);
        if (parts < 0 || points < 0 || 44 + (4L * parts) + (16L * points) > content.Length)
        {
            return SpatialMessages.Get("ShapefileShortRead", Source, index, Count);
        }

        var starts = MemoryMarshal.Cast<byte, int>(content.Slice(44, 4 * parts));
        var xy = MemoryMarshal.Cast<byte, double>(content.Slice(44 + (4 * parts), 16 * points));
        var previous = 0;
        foreach (var start in starts)
        {
            if (start < previous || start > points)
            {
                return SpatialMessages.Get("ShapefileBadParts", Source, index + 1);
            }

            previous = start;
        }

        check.Reset();
        check.Filter(xy);
        if (check.Bad is { } c)
        {
            return SpatialMessages.Get("OutOfRange", Source, index + 1, c.X.ToString(CultureInfo.InvariantCulture), c.Y.ToString(CultureInfo.InvariantCulture), Crs.Epsg, Crs.Name);
        }

        record = new ShapeRecord(index, type, starts, xy, row);
        return null;
    }
}
