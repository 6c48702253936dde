using System.Globalization;
using Fuchun.Domain.LandClasses;
using Fuchun.Domain.Reference;
using Fuchun.Tests;

namespace Fuchun.Domain.Tests.LandClasses;

public sealed class LandClassColourTests
{
    private static readonly string[] PolicyCodes =
        [.. File.ReadLines(SharedData.PathOf("policy", "land-classes.csv")).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')[0])];

    [Fact]
    public void EveryClassOfThePolicyCatalogue_HasAColour_AndAnAdjustableClassHasItsBaseClasss()
    {
        Assert.Equal(PolicyCodes.Order(StringComparer.Ordinal), LandClassCatalog.All.Keys.Order(StringComparer.Ordinal));
        foreach (var code in PolicyCodes)
        {
            var colour = LandClassCatalog.Get(code).Colour;
            Assert.Matches("^#[0-9A-F]{6}$", colour);
            if (code.EndsWith('K'))
            {
                Assert.Equal(LandClassCatalog.Get(code[..^1]).Colour, colour);
            }
        }
    }

    [Fact]
    public void TheColourTable_NamesOnlyBaseClassesOfTheCatalogue_AndSaysWhereEachColourWasFound()
    {
        var rows = HangzhouReferenceData.ReadResource("land-class-colours.csv").Split('\n').Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).ToList();
        Assert.Equal(rows.Count, rows.Select(r => r[0]).Distinct(StringComparer.Ordinal).Count());
        foreach (var row in rows)
        {
            Assert.Contains(row[0], PolicyCodes);
            Assert.False(LandClassCatalog.Get(row[0]).IsAdjustable, row[0]);
            Assert.Equal(3, row.Length);
            Assert.Matches("^[A-C]( [A-C])*$", row[2]);
        }

        Assert.Equal(PolicyCodes.Count(c => !c.EndsWith('K')), rows.Count);
    }

    [Fact]
    public void TheThreeFarmlandClasses_AreDrawnApart_FromEachOtherAndFromEveryOtherClass()
    {
        // Farmland is what the platform is about: 水田, 水浇地 and 旱地 must be told apart on the map, and from the rest.
        var farmland = LandClassCatalog.All.Values.Where(c => c.IsFarmland).ToList();
        Assert.Equal(3, farmland.Count);
        foreach (var other in LandClassCatalog.All.Values)
        {
            foreach (var f in farmland.Where(f => f.Code != other.Code))
            {
                Assert.True(Distance(f.Colour, other.Colour) > 20, string.Create(CultureInfo.InvariantCulture, $"{f.Code} {f.Colour} and {other.Code} {other.Colour}"));
            }
        }
    }

    private static double Distance(string a, string b)
    {
        static (int R, int G, int B) Rgb(string hex) =>
            (int.Parse(hex.AsSpan(1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
             int.Parse(hex.AsSpan(3, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
             int.Parse(hex.AsSpan(5, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        var (x, y) = (Rgb(a), Rgb(b));
        return Math.Sqrt(Math.Pow(x.R - y.R, 2) + Math.Pow(x.G - y.G, 2) + Math.Pow(x.B - y.B, 2));
    }
}
