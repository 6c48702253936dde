using System.Threading.Channels;

namespace Fuchun.Domain.Layers;

/// <summary>
/// A layer's parcels being read and checked (<see cref="ParcelImport.Start"/>): the work starts at once, before anyone
/// reads the batches, so that it runs while the caller is still getting ready to store them. Read once, like
/// <see cref="ParcelImport.ReadAsync"/>: the batches in file order, then <see cref="LayerImportRejectedException"/>
/// if anything was wrong. Disposing it stops the reading.
/// </summary>
/// <remarks>
/// Up to <see cref="AheadBeforeRead"/> batches wait for a reader that has not begun; once it reads, what is held
/// ahead of it shrinks to <see cref="AheadWhileRead"/>, so that a layer of any size still streams. Why: a command
/// line's first database work (connecting, the migrations check, its first queries compiled) takes most of a
/// second on one core, with the other idle, before the first row can be written; that second now reads, converts
/// and checks the first tens of thousands of parcels.
/// </remarks>
public sealed class ParcelReading : IAsyncEnumerable<IReadOnlyList<Parcel>>, IAsyncDisposable
{
    /// <summary>Batches held for a reader that has not begun (a batch is a block of about a megabyte of records).</summary>
    public const int AheadBeforeRead = 32;

    /// <summary>Batches held ahead of a reader once it reads.</summary>
    public const int AheadWhileRead = 2;

    /// <summary>How many features the source declares (its record count), when it does: at most how many parcels come, if all is well.</summary>
    public long? ExpectedCount { get; init; }

    private readonly Channel<IReadOnlyList<Parcel>> channel =
        Channel.CreateUnbounded<IReadOnlyList<Parcel>>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    /// <summary>Room for batches ahead of the reader: the producer takes one per batch, the reader gives it back.</summary>
    private readonly SemaphoreSlim room;

    private readonly CancellationTokenSource stop;
    private readonly List<ImportProblem> problems = [];
    private readonly LayerImportRejectedException? refused;
    private readonly Task producer = Task.CompletedTask;

    /// <summary>Batches the reader still takes without giving their room back: so the room shrinks to what it may hold while read.</summary>
    private int kept;

    private int reading;

    /// <summary>
    /// Runs <paramref name="produce"/> at once (nothing to produce when <paramref name="refused"/>, which the reader
    /// then throws), holding up to <paramref name="aheadBeforeRead"/> batches before the reader begins and
    /// <paramref name="aheadWhileRead"/> after.
    /// </summary>
    internal ParcelReading(
        Action<ParcelReading, List<ImportProblem>, CancellationToken>? produce, LayerImportRejectedException? refused, CancellationToken cancellationToken,
        int aheadBeforeRead = AheadBeforeRead, int aheadWhileRead = AheadWhileRead)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(aheadWhileRead, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(aheadBeforeRead, aheadWhileRead);
        room = new SemaphoreSlim(aheadBeforeRead);
        kept = aheadBeforeRead - aheadWhileRead;
        stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        this.refused = refused;
        if (produce is null)
        {
            channel.Writer.TryComplete();
            return;
        }

        // Not cancelled before it starts: the body always runs, so the reader always hears how it ended.
        var token = stop.Token;
        producer = Task.Run(() =>
        {
            try
            {
                produce(this, problems, token);
            }
            catch (Exception ex)
            {
                End(ex);
            }
            finally
            {
                End();   // no-op when it has ended already
            }
        }, CancellationToken.None);
    }

    public async IAsyncEnumerator<IReadOnlyList<Parcel>> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref reading, 1) != 0)
        {
            throw new InvalidOperationException("parcels being read are read once");
        }

        if (refused is not null)
        {
            throw refused;
        }

        while (await channel.Reader.WaitToReadAsync(cancellationToken))
        {
            while (channel.Reader.TryRead(out var batch))
            {
                if (kept > 0)
                {
                    kept--;
                }
                else
                {
                    room.Release();
                }

                yield return batch;
            }
        }

        await producer;
        if (problems.Count > 0)
        {
            throw new LayerImportRejectedException(problems);
        }
    }

    /// <summary>Hands a batch on, waiting while as many as allowed are held ahead of the reader.</summary>
    internal void Put(IReadOnlyList<Parcel> batch, CancellationToken cancellationToken)
    {
        room.Wait(cancellationToken);
        channel.Writer.TryWrite(batch);
    }

    /// <summary>No more batches: the reader ends, or throws <paramref name="error"/>.</summary>
    internal void End(Exception? error = null) => channel.Writer.TryComplete(error);

    /// <summary>Stops the reading if it is still going, and waits for it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!producer.IsCompleted)
        {
            await stop.CancelAsync();
        }

        await producer;   // it ends the reading itself, however it stops
        stop.Dispose();
        room.Dispose();
    }
}
