using Npgsql;

namespace Fuchun.Storage.Postgres;

/// <summary>
/// The partitions of replaced parcel layers: the transaction that replaces a layer retires the old one's partition
/// (detached from <c>parcels</c>, its foreign key dropped, renamed <c>retired_parcels_{layer}</c>), and the next
/// parcel layer written drops the retired tables on a session of its own, beside its rows going in.
/// </summary>
/// <remarks>
/// <para>
/// Why: a dropped table's files are emptied when the dropping transaction commits, and on ext4 that took 0.6–0.8 s
/// for a million parcels (about 0.13 s per 200 000-row chunk, in <c>truncate</c>, mostly waiting on the disk). The
/// replacing transaction held the lock it had taken on <c>parcels</c> to drop the partition throughout, so every map
/// tile of every layer waited for it, and the import's last step did too. Retiring is a few catalog changes; the
/// commit is then a moment, and the files are emptied later where no one waits on them.
/// </para>
/// <para>
/// Nothing is lost or visible meanwhile: a retired table is nobody's partition, so no query of <c>parcels</c> reads
/// it, and it exists only once the replacement has committed (a failed replacement rolls its retirement back with it).
/// A retired table stays on disk until the next parcel layer is written to the database.
/// </para>
/// </remarks>
internal static class RetiredParcels
{
    private const string Prefix = "retired_";

    /// <summary>The foreign key every partition of <c>parcels</c> inherits.</summary>
    private const string LayerForeignKey = "fk_parcels_layers_layer_id";

    /// <summary>The name a layer's partition takes when it is retired.</summary>
    private static string TableOf(string partition) => Prefix + partition;

    /// <summary>
    /// Retires <paramref name="partition"/>, if it exists, in <paramref name="transaction"/>: it stops being a
    /// partition of <c>parcels</c> and loses the foreign key it had from it (else deleting its layer would go through
    /// its rows), and takes its retired name.
    /// </summary>
    public static async Task RetireAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string partition, CancellationToken cancellationToken)
    {
        await using (var exists = new NpgsqlCommand("SELECT to_regclass(@name) IS NOT NULL", connection, transaction))
        {
            exists.Parameters.AddWithValue("name", partition);
            if (await exists.ExecuteScalarAsync(cancellationToken) is not true)
            {
                return;
            }
        }

        await Statements.ExecuteAsync(connection, transaction, $"ALTER TABLE parcels DETACH PARTITION {partition}", cancellationToken);
        await Statements.ExecuteAsync(connection, transaction, $"ALTER TABLE {partition} DROP CONSTRAINT {LayerForeignKey}", cancellationToken);
        await Statements.ExecuteAsync(connection, transaction, $"ALTER TABLE {partition} RENAME TO {TableOf(partition)}", cancellationToken);
    }

    /// <summary>
    /// Drops every retired table, each in a transaction of its own on <paramref name="session"/> (not in a
    /// transaction). Only committed retirements are seen, and a table another session dropped first is passed over.
    /// </summary>
    public static async Task DropAsync(NpgsqlConnection session, CancellationToken cancellationToken)
    {
        var tables = new List<string>();
        await using (var find = new NpgsqlCommand("""
            SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND c.relname ~ '^retired_parcels_[0-9]+$'
            ORDER BY c.relname
            """, session))
        {
            await using var reader = await find.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                tables.Add(reader.GetString(0));
            }
        }

        foreach (var table in tables)
        {
            await Statements.ExecuteAsync(session, null, $"DROP TABLE IF EXISTS {table}", cancellationToken);
        }
    }
}
