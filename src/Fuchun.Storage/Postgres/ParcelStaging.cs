using System.Globalization;
using Npgsql;

namespace Fuchun.Storage.Postgres;

/// <summary>
/// A layer's parcels written in chunks of their own tables (<c>parcels_{layer}_{n}</c>), each chunk's key and GiST
/// index built while the next chunk is copied: the first chunk in the layer's transaction, the others (only a large
/// layer has them) on two sessions beside it. The layer's transaction then attaches the chunks, indexes and all.
/// </summary>
/// <remarks>
/// <para>
/// Why: in one transaction the COPY and the index builds can only follow one another (a million parcels: some 3–4
/// seconds of index building with the import waiting), while a second session can build one chunk's indexes as
/// soon as its rows are in.
/// </para>
/// <para>
/// Nothing is visible before the layer's transaction commits: the first chunk is that transaction's own, and the
/// others are nobody's partition until then and no query reads them. A failure while chunks are written drops
/// them at once. A failure after (the attach, the transaction's end, a process that dies) leaves the other
/// sessions' chunks unattached; every later import of a large layer sweeps away unattached chunk tables whose
/// layer's transaction is over — that transaction holds an advisory lock on the layer id, which the sweep must be
/// able to take first.
/// </para>
/// </remarks>
internal sealed class ParcelStaging(
    NpgsqlConnection layerConnection, NpgsqlTransaction layerTransaction, int layerId, int chunkRows = ParcelStaging.DefaultChunkRows, long? expectedRows = null) : IAsyncDisposable
{
    /// <summary>Rows per chunk: large enough that a chunk's index build is worth a session, small enough that the last one's is short.</summary>
    public const int DefaultChunkRows = 200_000;

    /// <summary>The advisory lock class of a layer whose parcels are being written (the layer id is the other key).</summary>
    private const int LockClass = 0x46434E50;   // "FCNP"

    /// <summary>Rows in the chunks finished so far.</summary>
    private long written;

    /// <summary>Rows per chunk once <see cref="SizeChunksAsync"/> has made them pass a quarter of the shared buffers; else null.</summary>
    private int? ringChunkRows;

    /// <summary>Whether <see cref="SizeChunksAsync"/> has run.</summary>
    private bool sized;

    /// <summary>The sessions beside the layer's transaction: the first opened for the first chunk's ids, the second when a second chunk is needed.</summary>
    private readonly NpgsqlConnection?[] sessions = new NpgsqlConnection?[2];
    private readonly List<Chunk> chunks = [];

    /// <summary>The index builds under way: the first chunk's (in the layer's transaction), then each session's last.</summary>
    private readonly Task[] building = [Task.CompletedTask, Task.CompletedTask, Task.CompletedTask];

    /// <summary>The chunks written, with the id ranges their rows fall in.</summary>
    public IReadOnlyList<Chunk> Chunks => chunks;

    /// <summary>
    /// How many rows the next chunk takes, <paramref name="written"/> rows into a layer expected to hold
    /// <paramref name="expectedRows"/> (unknown: null): full chunks, except that a layer of several chunks ends on
    /// two shorter ones, about three quarters and one quarter of what is left once that is at most a chunk and a third.
    /// </summary>
    /// <remarks>
    /// Why: after the last row, the import waits for the last chunks' indexes. A chunk's index takes about a quarter of
    /// the time its rows took to copy, so a last chunk of a quarter of the one before leaves almost nothing to wait
    /// for: the one before is indexed while it is copied, and its own index is short. Ending on a full chunk after
    /// another left the second last one's index (0.4 s for 200 000 rows) for the import to wait out on one core.
    /// A layer that fits in one chunk stays one; more rows than expected simply go on in full chunks.
    /// </remarks>
    internal static int RowsOfChunk(int chunkRows, long? expectedRows, long written)
    {
        if (expectedRows is not { } expected || expected <= chunkRows)
        {
            return chunkRows;
        }

        var left = expected - written;
        return left > chunkRows + (chunkRows / 3) || left <= chunkRows / 3 ? chunkRows : (int)(left - (left / 4));
    }

    /// <summary>
    /// Before the first chunk: makes the chunks of a layer expected to take several large enough that PostgreSQL reads
    /// each one through a small ring of buffers when it builds the chunk's indexes (<see cref="RingChunkRows"/>), given
    /// what a row takes in the COPY, <paramref name="copyBytesPerRow"/>, measured on the first rows.
    /// </summary>
    /// <remarks>
    /// Why: a table's first scan after its COPY (the key's build; the GiST index's after it finds the pages in shared
    /// buffers) reads every page back. PostgreSQL reads a table of more than a quarter of <c>shared_buffers</c> through
    /// a ring of 32 buffers; a smaller one goes into buffers all over the pool, and a session that has not touched
    /// those yet takes a page fault for each. On the 1M mosaic with 1 GB of shared buffers (a quarter: 256 MB, some
    /// 410 000 rows), the 200 000-row chunks' key builds took 1.1–1.2 s each against 0.5–0.6 s for 464 000 rows read
    /// through the ring; alternating runs, the whole import took 11.1 s (median of 5) against 13.0 s with the usual
    /// chunks, the machine's two cores busy for 20.2 CPU-seconds against 24.1.
    /// </remarks>
    public async Task SizeChunksAsync(double copyBytesPerRow, CancellationToken cancellationToken)
    {
        if (!ChunksToSize)
        {
            return;
        }

        sized = true;
        var rows = RingChunkRows(chunkRows, RingBytes ?? await QuarterOfSharedBuffersAsync(cancellationToken), copyBytesPerRow);
        ringChunkRows = rows > chunkRows ? rows : null;
    }

    /// <summary>
    /// Whether <see cref="SizeChunksAsync"/> has anything to do: not yet called, before the first chunk, for a layer
    /// expected to take several (a caller measures the rows only then).
    /// </summary>
    public bool ChunksToSize => !sized && chunks.Count == 0 && expectedRows > chunkRows;

    /// <summary>A quarter of the shared buffers (<see cref="SizeChunksAsync"/>) when set; else the server's is asked for.</summary>
    public long? RingBytes { get; init; }

    private async Task<long> QuarterOfSharedBuffersAsync(CancellationToken cancellationToken)
    {
        // shared_buffers is a number of blocks.
        await using var settings = new NpgsqlCommand(
            "SELECT setting::bigint / 4 * current_setting('block_size')::bigint FROM pg_settings WHERE name = 'shared_buffers'", layerConnection, layerTransaction);
        return await settings.ExecuteScalarAsync(cancellationToken) is long bytes ? bytes : 0;
    }

    /// <summary>
    /// Rows per chunk for chunks read through PostgreSQL's ring once past <paramref name="ringBytes"/> (a quarter of
    /// the shared buffers): enough rows of <paramref name="copyBytesPerRow"/> to pass it by a margin — a table takes
    /// a little more room than its rows' COPY bytes (tuple headers, pages not quite full: 8% more on the 1M mosaic), so
    /// it is past too — when that is more than <paramref name="chunkRows"/> and at most four times it; otherwise
    /// <paramref name="chunkRows"/> (a server with shared buffers so large that only a few huge chunks would pass
    /// keeps the chunks that let the index builds run beside the COPY).
    /// </summary>
    internal static int RingChunkRows(int chunkRows, long ringBytes, double copyBytesPerRow)
    {
        if (copyBytesPerRow <= 0 || ringBytes <= 0)
        {
            return chunkRows;
        }

        var rows = Math.Ceiling(ringBytes * 1.05 / copyBytesPerRow);
        return rows > chunkRows && rows <= 4.0 * chunkRows ? (int)rows : chunkRows;
    }

    /// <summary>Creates the next chunk's table and starts its COPY; the rows go to the writer it returns.</summary>
    public async Task<ChunkWriter> StartChunkAsync(CancellationToken cancellationToken)
    {
        var n = chunks.Count;
        var slot = Slot(n);
        await building[slot];   // that session's last chunk has its indexes
        // The table is created and filled in one transaction (the layer's, or one of the session's own that ends with
        // the COPY), so that its rows can be written frozen: PostgreSQL then never has to visit them again to mark
        // them committed (the index builds just after would, dirtying every page) or to freeze them years later.
        var session = n == 0 ? layerConnection : sessions[slot - 1]!;
        // The first chunk's ids are taken on a session of their own (its table is the layer transaction's), the others' on theirs.
        // Chunks made to pass a quarter of the shared buffers are all full but the last, which takes what is left: the
        // usual end on three quarters and a quarter of the rest would leave the three quarters under it.
        var rows = ringChunkRows is not { } full ? RowsOfChunk(chunkRows, expectedRows, written)
            : expectedRows - written is > 0 and var left && left < full ? (int)left
            : full;
        var first = await ReserveIdsAsync(n == 0 ? sessions[0] ??= await OpenSessionAsync(cancellationToken) : session, rows, cancellationToken);
        var transaction = n == 0 ? layerTransaction : await session.BeginTransactionAsync(cancellationToken);
        var chunk = new Chunk(n, string.Create(CultureInfo.InvariantCulture, $"parcels_{layerId}_{n}"), n == 0 ? null : transaction)
        {
            FirstId = first,
            EndId = first + rows,
        };
        chunks.Add(chunk);
        // The bound is checked row by row as the rows go in (the ids are the block taken above), so that the attach
        // needs no scan to prove it; added after the COPY, it scanned the chunk again (some 80 ms per 200 000 rows).
        // No parallel workers: a tile reads a few hundred of the layer's rows, and starting workers cost more than
        // they saved (ST_AsMVT at z16: 33 ms with two workers, 9 ms without).
        await Statements.ExecuteAsync(session, transaction, string.Create(CultureInfo.InvariantCulture,
            $"CREATE TABLE {chunk.Table} (LIKE parcels INCLUDING DEFAULTS, CONSTRAINT {chunk.Table}_bound CHECK (layer_id = {layerId} AND id >= {chunk.FirstId} AND id < {chunk.EndId})) WITH (parallel_workers = 0)"), cancellationToken);
        var stream = await session.BeginRawBinaryCopyAsync(
            $"COPY {chunk.Table} (id, layer_id, dlbm, pbf, hsf, zldwdm, area_m2, attributes_json, geom) FROM STDIN (FORMAT BINARY, FREEZE)", cancellationToken);
        return new ChunkWriter(chunk, stream, rows);
    }

    /// <summary>
    /// Ends the chunk's COPY and sets its session building the chunk's bound, key and GiST index. After the first
    /// chunk, the layer is claimed and the sessions for the next are opened.
    /// </summary>
    public async Task FinishChunkAsync(ChunkWriter writer, bool more, CancellationToken cancellationToken)
    {
        await writer.CompleteAsync(cancellationToken);
        written += writer.Count;
        var n = writer.Chunk.Number;
        var (session, transaction) = n == 0 ? (layerConnection, layerTransaction) : (sessions[Slot(n) - 1]!, null);
        if (writer.Chunk.Own is { } own)
        {
            await own.CommitAsync(cancellationToken);
            await own.DisposeAsync();
            writer.Chunk.Own = null;
        }

        if (n == 0 && more)
        {
            await ClaimAsync(cancellationToken);
        }

        building[Slot(n)] = BuildAsync(session, transaction, writer.Chunk, cancellationToken);
        if (n == 0 && more)
        {
            await OpenSessionsAsync(cancellationToken);
        }
    }

    /// <summary>Waits for every chunk's indexes.</summary>
    public Task CompleteAsync() => Task.WhenAll(building);

    /// <summary>
    /// Drops the chunks the other sessions wrote (the first goes with the layer's transaction): the layer was not
    /// taken. None is attached yet.
    /// </summary>
    public async Task DiscardAsync(ChunkWriter? open)
    {
        if (open is not null)
        {
            await open.CancelAsync();
        }

        // A chunk still in its session's own transaction goes with it.
        foreach (var chunk in chunks.Where(c => c.Own is not null))
        {
            try
            {
                await chunk.Own!.RollbackAsync(CancellationToken.None);
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
            {
                // A broken session: its transaction is over either way.
            }

            await chunk.Own!.DisposeAsync();
            chunk.Own = null;
        }

        try
        {
            await Task.WhenAll(building);
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or InvalidOperationException)
        {
            // The import is failing already; what matters now is that its tables go.
        }

        foreach (var chunk in chunks.Where(c => c.Number > 0))
        {
            try
            {
                await Statements.ExecuteAsync(sessions[0]!, null, $"DROP TABLE IF EXISTS {chunk.Table}", CancellationToken.None);
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
            {
                // A broken session: the next large import's sweep drops what is left.
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var session in sessions)
        {
            if (session is not null)
            {
                await session.DisposeAsync();
            }
        }
    }

    /// <summary>Where chunk <paramref name="n"/>'s index build is tracked: 0 for the first, then the two sessions in turn.</summary>
    private static int Slot(int n) => n == 0 ? 0 : 1 + ((n - 1) % 2);

    /// <summary>Holds the layer id for the layer's transaction, so that no sweep takes its chunks for a dead import's.</summary>
    private async Task ClaimAsync(CancellationToken cancellationToken)
    {
        await using var claim = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@class, @layer)", layerConnection, layerTransaction);
        claim.Parameters.AddWithValue("class", LockClass);
        claim.Parameters.AddWithValue("layer", layerId);
        await claim.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task OpenSessionsAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < sessions.Length; i++)
        {
            sessions[i] ??= await OpenSessionAsync(cancellationToken);
        }

        await SweepAsync(sessions[0]!, cancellationToken);
    }

    private async Task<NpgsqlConnection> OpenSessionAsync(CancellationToken cancellationToken)
    {
        var session = (NpgsqlConnection)((ICloneable)layerConnection).Clone();   // the same data source: its pool, its credentials
        await session.OpenAsync(cancellationToken);
        return session;
    }

    /// <summary>
    /// Takes a block of <paramref name="rows"/> consecutive parcel ids for a chunk and returns its first, in a
    /// transaction of its own beside the layer's: the sequence is locked (ALTER SEQUENCE blocks every other
    /// nextval until the commit, a moment later) while it is moved past the block, so no other insert can get an id
    /// inside it. Ids of a block that end up unused (the layer's last chunk) are skipped, as a rolled-back insert's are.
    /// </summary>
    private static async Task<long> ReserveIdsAsync(NpgsqlConnection session, int rows, CancellationToken cancellationToken)
    {
        await using var transaction = await session.BeginTransactionAsync(cancellationToken);
        await Statements.ExecuteAsync(session, transaction, "ALTER SEQUENCE parcel_ids INCREMENT BY 1", cancellationToken);
        await using var take = new NpgsqlCommand("SELECT setval('parcel_ids', nextval('parcel_ids') + @rows - 1) - @rows + 1", session, transaction);
        take.Parameters.AddWithValue("rows", (long)rows);
        var first = (long)(await take.ExecuteScalarAsync(cancellationToken))!;
        await transaction.CommitAsync(cancellationToken);
        return first;
    }

    private static async Task BuildAsync(NpgsqlConnection session, NpgsqlTransaction? transaction, Chunk chunk, CancellationToken cancellationToken)
    {
        // The key and the index are what the parent's indexes attach instead of building their own.
        await Statements.ExecuteAsync(session, transaction, $"ALTER TABLE {chunk.Table} ADD CONSTRAINT {chunk.Table}_pkey PRIMARY KEY (id, layer_id)", cancellationToken);
        await Statements.ExecuteAsync(session, transaction, $"CREATE INDEX {chunk.Table}_geom ON {chunk.Table} USING gist (geom)", cancellationToken);
    }

    /// <summary>Drops chunk tables that are nobody's partition and whose layer no transaction holds.</summary>
    private static async Task SweepAsync(NpgsqlConnection session, CancellationToken cancellationToken)
    {
        await using var transaction = await session.BeginTransactionAsync(cancellationToken);
        var candidates = new List<(string Table, int Layer)>();
        await using (var find = new NpgsqlCommand("""
            SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = current_schema() AND c.relkind = 'r' AND NOT c.relispartition AND c.relname ~ '^parcels_[0-9]+_[0-9]+$'
            """, session, transaction))
        {
            await using var reader = await find.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var table = reader.GetString(0);
                candidates.Add((table, int.Parse(table.Split('_')[1], CultureInfo.InvariantCulture)));
            }
        }

        foreach (var (table, layer) in candidates)
        {
            await using var take = new NpgsqlCommand("SELECT pg_try_advisory_xact_lock(@class, @layer)", session, transaction);
            take.Parameters.AddWithValue("class", LockClass);
            take.Parameters.AddWithValue("layer", layer);
            if (await take.ExecuteScalarAsync(cancellationToken) is true)
            {
                await Statements.ExecuteAsync(session, transaction, $"DROP TABLE IF EXISTS {table}", cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// A chunk's table and the block of ids its rows take, end exclusive (<see cref="ReserveIdsAsync"/>): the chunk's
    /// partition bound, checked as its rows go in. Blocks are taken from the sequence, so they never overlap.
    /// </summary>
    public sealed class Chunk(int number, string table, NpgsqlTransaction? own)
    {
        public int Number { get; } = number;

        public string Table { get; } = table;

        /// <summary>The session's own transaction the chunk is created and copied in, until its COPY ends (not the first chunk's).</summary>
        public NpgsqlTransaction? Own { get; set; } = own;

        public long FirstId { get; init; }

        public long EndId { get; init; }
    }

    /// <summary>A chunk's COPY: the rows go through <see cref="Rows"/>.</summary>
    public sealed class ChunkWriter
    {
        private readonly NpgsqlRawCopyStream stream;

        public ChunkWriter(Chunk chunk, NpgsqlRawCopyStream stream, int capacity)
        {
            (Chunk, this.stream, Capacity) = (chunk, stream, capacity);
            Rows = new BinaryCopyRows(stream);
            Rows.Header();
        }

        public Chunk Chunk { get; }

        public BinaryCopyRows Rows { get; }

        public int Count { get; set; }

        /// <summary>The rows the chunk takes (its block of ids): it is full at this many.</summary>
        public int Capacity { get; }

        public async Task CompleteAsync(CancellationToken cancellationToken)
        {
            await Rows.FinishAsync(cancellationToken);
            await stream.DisposeAsync();   // ends the COPY
        }

        /// <summary>Abandons the COPY (disposed unfinished, the stream would end it with the rows it has).</summary>
        public async Task CancelAsync()
        {
            try
            {
                await stream.CancelAsync();
            }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
            {
                // Cancelled or broken either way.
            }

            await stream.DisposeAsync();
        }
    }
}
