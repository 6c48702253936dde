using Npgsql;

namespace Fuchun.Storage.Postgres;

/// <summary>Statements the PostGIS layer store runs outside EF Core.</summary>
internal static class Statements
{
    /// <summary>
    /// Runs <paramref name="sql"/> with no time limit: creating tables, building a chunk's indexes, attaching a
    /// layer (which checks its foreign key over every row) take as long as the layer is large.
    /// </summary>
    public static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A binary COPY of <paramref name="items"/>, each written as one row by <paramref name="write"/>.</summary>
    public static async Task CopyAsync<T>(NpgsqlConnection connection, string copy, IEnumerable<T> items, Action<BinaryCopyRows, T> write, CancellationToken cancellationToken)
    {
        await using var stream = await connection.BeginRawBinaryCopyAsync(copy, cancellationToken);
        try
        {
            var rows = new BinaryCopyRows(stream);
            rows.Header();
            foreach (var item in items)
            {
                write(rows, item);
                await rows.FlushIfFullAsync(cancellationToken);
            }

            await rows.FinishAsync(cancellationToken);
        }
        catch
        {
            // Left unfinished, the stream would end the COPY with the rows it has when disposed.
            await stream.CancelAsync();
            throw;
        }
    }
}
