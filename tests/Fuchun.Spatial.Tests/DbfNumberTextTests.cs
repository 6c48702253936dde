using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Fuchun.Spatial.IO;

namespace Fuchun.Spatial.Tests;

public sealed class DbfNumberTextTests : IDisposable
{
    private const int Width = 24;
    private readonly string path = Path.Combine(Path.GetTempPath(), $"fuchun-numbers-{Guid.NewGuid():N}.dbf");
    private readonly DbfTable table;

    public DbfNumberTextTests()
    {
        // A .dbf of one numeric column, N(24, 8): only its header is read; rows are made in memory.
        var header = new byte[32 + 32 + 1];
        header[0] = 3;
        BitConverter.TryWriteBytes(header.AsSpan(8), (ushort)header.Length);
        BitConverter.TryWriteBytes(header.AsSpan(10), (ushort)(1 + Width));
        "TBMJ"u8.CopyTo(header.AsSpan(32));
        header[32 + 11] = (byte)'N';
        header[32 + 16] = Width;
        header[32 + 17] = 8;
        header[^1] = 0x0D;
        File.WriteAllBytes(path, header);
        table = DbfTable.Open(path, Encoding.ASCII);
    }

    public void Dispose() => File.Delete(path);

    private static byte[] Row(string text) => Encoding.ASCII.GetBytes(" " + text.PadLeft(Width));

    private static string JsonNumber(double value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteNumberValue(value);
        }

        return Encoding.ASCII.GetString(buffer.WrittenSpan);
    }

    [Theory]
    [InlineData("1234.56")]
    [InlineData("330106001001")]
    [InlineData("0.5")]
    [InlineData("-12.25")]
    [InlineData("999999999999999")]
    [InlineData("0.123456789012345")]
    public void ShortestText_IsTakenAsItIs(string text)
    {
        Assert.True(table.TryShortestNumberText(Row(text), 0, out var digits));
        Assert.Equal(text, Encoding.ASCII.GetString(digits));
        Assert.Equal(text, JsonNumber(double.Parse(text, CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("-0")]
    [InlineData("-0.0")]
    [InlineData("007")]
    [InlineData("1.50")]
    [InlineData("12.")]
    [InlineData(".5")]
    [InlineData("1e5")]
    [InlineData("+5")]
    [InlineData("0.05")]
    [InlineData("1234567890123456")]
    [InlineData("1000000000000000")]
    [InlineData("0.1234567890123456")]
    [InlineData("*****")]
    [InlineData("1 2")]
    public void AnythingElse_IsLeftToTheParser(string text) =>
        Assert.False(table.TryShortestNumberText(Row(text), 0, out _));

    [Fact]
    public void WhateverIsTaken_IsWhatTheJsonWriterMakesOfItsValue()
    {
        // Values of every size written every way a .dbf holds them (fixed decimals, trimmed, signs, zeros): each
        // text taken as it is must be exactly the writer's text for the parsed value.
        var random = new Random(11);
        var taken = 0;
        for (var i = 0; i < 200_000; i++)
        {
            var value = Math.Round((random.NextDouble() - 0.3) * Math.Pow(10, random.Next(-7, 18)), random.Next(0, 9));
            var text = random.Next(4) switch
            {
                0 => value.ToString("F" + random.Next(0, 9).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
                1 => value.ToString("R", CultureInfo.InvariantCulture),
                2 => value.ToString("G15", CultureInfo.InvariantCulture),
                _ => value.ToString("0.########", CultureInfo.InvariantCulture),
            };
            if (text.Length > Width || !table.TryShortestNumberText(Row(text), 0, out var digits))
            {
                continue;
            }

            taken++;
            Assert.Equal(text, Encoding.ASCII.GetString(digits));
            Assert.Equal(text, JsonNumber(double.Parse(text, CultureInfo.InvariantCulture)));
        }

        Assert.True(taken > 50_000, $"only {taken} taken");
    }
}
