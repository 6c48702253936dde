using System.Diagnostics;
using System.Globalization;

namespace Fuchun.Cli;

/// <summary>
/// A one-line progress bar on standard error, drawn only when standard error is a terminal (never into a log or a
/// pipe), redrawn at most ten times a second. Thread-safe: parallel work may report into it.
/// </summary>
internal sealed class ProgressBar : IDisposable
{
    private const int Width = 30;
    private readonly TextWriter? terminal;
    private readonly string label;
    private readonly long total;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private long done;
    private long lastDrawMs = -1000;

    private ProgressBar(TextWriter? terminal, string label, long total) => (this.terminal, this.label, this.total) = (terminal, label, total);

    /// <summary>A bar for <paramref name="total"/> steps (0 when unknown), shown if <paramref name="error"/> is the terminal.</summary>
    public static ProgressBar Start(TextWriter error, string label, long total) =>
        new(ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected ? error : null, label, total);

    public void Step()
    {
        var now = Interlocked.Increment(ref done);
        if (terminal is null)
        {
            return;
        }

        var ms = clock.ElapsedMilliseconds;
        var last = Interlocked.Read(ref lastDrawMs);
        if (ms - last >= 100 && Interlocked.CompareExchange(ref lastDrawMs, ms, last) == last)
        {
            Draw(now);
        }
    }

    private void Draw(long count)
    {
        string line;
        if (total > 0)
        {
            var share = Math.Min(1, (double)count / total);
            var filled = (int)(share * Width);
            line = string.Create(CultureInfo.InvariantCulture,
                $"\r{label} [{new string('#', filled)}{new string('.', Width - filled)}] {share,4:P0} {count:N0}/{total:N0} {clock.Elapsed.TotalSeconds:0.0}s");
        }
        else
        {
            line = string.Create(CultureInfo.InvariantCulture, $"\r{label} {count:N0} {clock.Elapsed.TotalSeconds:0.0}s");
        }

        lock (clock)
        {
            terminal!.Write(line);
        }
    }

    public void Dispose()
    {
        if (terminal is not null)
        {
            Draw(Interlocked.Read(ref done));
            terminal.WriteLine();
        }
    }
}
