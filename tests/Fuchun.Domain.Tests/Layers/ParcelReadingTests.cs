using Fuchun.Domain.Layers;
using Fuchun.Domain.Mosaic;
using Fuchun.Spatial.IO;

namespace Fuchun.Domain.Tests.Layers;

/// <summary>
/// <see cref="ParcelImport.Start"/> reads a layer before anyone takes its parcels (a command line opens its
/// database meanwhile): how much it holds before and after the reader begins, that it stops when disposed, and that
/// it gives what <see cref="ParcelImport.ReadAsync"/> gives.
/// </summary>
public sealed class ParcelReadingTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("fuchun-reading-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public async Task NotYetRead_HoldsWhatItMayBeforeReading_AndStopsWhenDisposed()
    {
        var put = 0;
        var stopped = false;
        var reading = new ParcelReading((output, _, token) =>
        {
            try
            {
                for (var i = 0; i < 100; i++)
                {
                    output.Put([], token);
                    Interlocked.Increment(ref put);
                }

                output.End();
            }
            catch (OperationCanceledException)
            {
                stopped = true;
                throw;
            }
        }, null, CancellationToken.None, aheadBeforeRead: 5, aheadWhileRead: 2);

        await WaitUntilAsync(() => Volatile.Read(ref put) == 5);
        await Task.Delay(200, TestContext.Current.CancellationToken);   // time enough to go on, were it not held
        Assert.Equal(5, Volatile.Read(ref put));

        await reading.DisposeAsync();
        Assert.True(stopped);
        Assert.Equal(5, Volatile.Read(ref put));
    }

    [Fact]
    public async Task Read_GivesTheBatchesInOrder_WithOnlyWhatItMayWhileReadingHeldAhead()
    {
        var sent = Enumerable.Range(0, 20).Select(_ => (IReadOnlyList<Parcel>)new List<Parcel>()).ToArray();
        var put = 0;
        await using var reading = new ParcelReading((output, _, token) =>
        {
            foreach (var batch in sent)
            {
                output.Put(batch, token);
                Interlocked.Increment(ref put);
            }

            output.End();
        }, null, CancellationToken.None, aheadBeforeRead: 5, aheadWhileRead: 2);
        await WaitUntilAsync(() => Volatile.Read(ref put) == 5);

        var taken = 0;
        await foreach (var batch in reading.WithCancellation(TestContext.Current.CancellationToken))
        {
            Assert.Same(sent[taken++], batch);
            await Task.Delay(10, TestContext.Current.CancellationToken);   // the producer takes what room it has
            // The first reads give no room back (5 held, 2 allowed): from the third on, at most 2 are ahead.
            Assert.InRange(Volatile.Read(ref put) - taken, 0, taken < 3 ? 5 - taken : 2);
        }

        Assert.Equal(sent.Length, taken);
    }

    [Fact(Timeout = 30_000)]
    public async Task AProducerThatFails_EndsTheReadingWithItsError()
    {
        await using var reading = new ParcelReading((output, _, token) =>
        {
            output.Put([], token);
            throw new InvalidDataException("broken");
        }, null, CancellationToken.None);

        var taken = 0;
        var error = await Assert.ThrowsAsync<InvalidDataException>(async () =>
        {
            await foreach (var _ in reading.WithCancellation(TestContext.Current.CancellationToken))
            {
                taken++;
            }
        });

        Assert.Equal(1, taken);
        Assert.Equal("broken", error.Message);
    }

    [Fact]
    public async Task Start_ReadsBeforeAnyoneTakesTheParcels_AndGivesWhatReadAsyncGives()
    {
        var path = Path.Combine(folder, "mosaic.shp");
        MosaicFiles.Write(path, new MosaicGenerator(3_000, seed: 5).Before(), MosaicOrder.Sorted, seed: 5);
        var expected = new List<Parcel>();
        await foreach (var batch in ParcelImport.ReadAsync(GeometryFiles.OpenFeatures(path), cancellationToken: TestContext.Current.CancellationToken))
        {
            expected.AddRange(batch);
        }

        var read = 0;
        await using var parcels = ParcelImport.Start(GeometryFiles.OpenFeatures(path), progress: () => Interlocked.Increment(ref read), cancellationToken: TestContext.Current.CancellationToken);
        await WaitUntilAsync(() => Volatile.Read(ref read) == expected.Count);

        var got = new List<Parcel>();
        await foreach (var batch in parcels.WithCancellation(TestContext.Current.CancellationToken))
        {
            got.AddRange(batch);
        }

        Assert.Equal(expected.Select(p => (p.LandClass, p.AreaM2, p.AttributesJson, p.Geometry.AsText())), got.Select(p => (p.LandClass, p.AreaM2, p.AttributesJson, p.Geometry.AsText())));
        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var _ in parcels)
            {
            }
        });
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the reading did not get there in 30 s");
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
    }
}
