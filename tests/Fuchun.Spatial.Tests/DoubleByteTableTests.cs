using System.Text;
using Fuchun.Spatial.IO;

namespace Fuchun.Spatial.Tests;

public sealed class DoubleByteTableTests
{
    static DoubleByteTableTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>
    /// Text as .dbf columns hold it: mostly ASCII and two-byte characters, with the odd stray lead byte, lone high
    /// byte, four-byte GB18030 sequence or lead byte cut off at the end.
    /// </summary>
    private static IEnumerable<byte[]> Texts(Encoding encoding, int seed)
    {
        var random = new Random(seed);
        var sample = encoding.GetBytes("富春江第一村民委员会水田旱地果园茶园乔木林地坑塘水面农村道路沟渠田坎鿏𠀀€");
        for (var t = 0; t < 20000; t++)
        {
            var text = new List<byte>();
            var length = random.Next(0, 24);
            while (text.Count < length)
            {
                switch (random.Next(10))
                {
                    case < 4:
                        text.Add((byte)random.Next(0x20, 0x7F));
                        break;
                    case < 8:
                        var at = random.Next(sample.Length - 1);
                        text.AddRange(sample.AsSpan(at, 2).ToArray());
                        break;
                    case 8:
                        text.Add((byte)random.Next(0x80, 0x100));
                        break;
                    default:
                        text.AddRange([(byte)random.Next(0x81, 0xFF), (byte)random.Next(0x30, 0x3A), (byte)random.Next(0x81, 0xFF), (byte)random.Next(0x30, 0x3A)]);
                        break;
                }
            }

            yield return [.. text];
        }
    }

    [Theory]
    [InlineData(936)]      // GBK, what 三调 data is delivered in
    [InlineData(54936)]    // GB18030
    [InlineData(950)]      // Big5
    public void DecodesAsTheFrameworkDoes_OrLeavesItToIt(int codePage)
    {
        var encoding = Encoding.GetEncoding(codePage);
        var table = DoubleByteTable.For(encoding)!;
        var (decoded, leftToFramework) = (0, 0);
        var chars = new char[64];
        foreach (var bytes in Texts(encoding, codePage))
        {
            var n = table.Decode(bytes, chars);
            if (n < 0)
            {
                leftToFramework++;
                continue;
            }

            Assert.Equal(encoding.GetString(bytes), new string(chars, 0, n));
            decoded++;
        }

        // Both ways were taken often: the tables decode most text, and refuse what they do not know.
        Assert.InRange(decoded, 2000, 20000);
        Assert.InRange(leftToFramework, 2000, 20000);
    }

    [Fact]
    public void SingleByteAndUnicodeEncodings_HaveNoTable()
    {
        Assert.Null(DoubleByteTable.For(Encoding.Latin1));
        Assert.Null(DoubleByteTable.For(Encoding.UTF8));
        Assert.Null(DoubleByteTable.For(Encoding.GetEncoding(1252)));
    }
}
