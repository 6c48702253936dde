using Fuchun.Domain.Analysis;
using NetTopologySuite.IO;

namespace Fuchun.Domain.Tests.Analysis;

/// <summary>The transfer matrix on shapes worked out by hand (planar areas).</summary>
public sealed class TransferMatrixTests
{
    private static readonly WKTReader Wkt = new();

    private static ParcelSet Set(params (string Class, string Wkt)[] parcels)
    {
        var geometries = parcels.Select(p => Wkt.Read(p.Wkt)).ToArray();
        return new(geometries, [.. parcels.Select(p => p.Class)], [.. geometries.Select(g => g.Area)],
            [.. parcels.Select(_ => false)], [.. parcels.Select(_ => false)], [.. parcels.Select((_, i) => i + 1L)]);
    }

    // Before: dry land 0103 on the left square, forest 0301 on the right. After: paddy 0101 on the lower half of
    // both, forest on the upper half. Each quarter (0.5) moves from its before class to its after class.
    private static readonly ParcelSet Before = Set(
        ("0103", "POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))"),
        ("0301", "POLYGON ((1 0, 2 0, 2 1, 1 1, 1 0))"));

    private static readonly ParcelSet After = Set(
        ("0101", "POLYGON ((0 0, 2 0, 2 0.5, 0 0.5, 0 0))"),
        ("0301", "POLYGON ((0 0.5, 2 0.5, 2 1, 0 1, 0 0.5))"));

    private static double Cell(TransferMatrixResult m, string from, string to) =>
        m.Cells.SingleOrDefault(c => c.From == from && c.To == to)?.AreaM2 ?? 0;

    [Fact]
    public void Cells_AreTheOverlapsOfTheTwoLayers_AndTheMarginsAreTheClassAreas()
    {
        var m = TransferMatrix.Compute(Before, After, null, g => g.Area);

        Assert.Equal(4, m.Cells.Count);
        Assert.Equal(0.5, Cell(m, "0103", "0101"), 12);
        Assert.Equal(0.5, Cell(m, "0103", "0301"), 12);
        Assert.Equal(0.5, Cell(m, "0301", "0101"), 12);
        Assert.Equal(0.5, Cell(m, "0301", "0301"), 12);
        foreach (var (code, area) in m.BeforeAreas)
        {
            Assert.Equal(area, m.Cells.Where(c => c.From == code).Sum(c => c.AreaM2), 12);
        }

        foreach (var (code, area) in m.AfterAreas)
        {
            Assert.Equal(area, m.Cells.Where(c => c.To == code).Sum(c => c.AreaM2), 12);
        }

        Assert.Empty(m.UncoveredBefore);
        Assert.Empty(m.UncoveredAfter);
    }

    [Fact]
    public void GrossGainsAndLosses_CountOnlyChangesAcrossAGroupsEdge()
    {
        var m = TransferMatrix.Compute(Before, After, null, g => g.Area);
        var farmland = m.Changes.Single(c => c.Group == "耕地");
        var forest = m.Changes.Single(c => c.Group == "林地");

        Assert.Equal(0.5, farmland.GainM2, 12); // forest → paddy; dry land → paddy stays farmland
        Assert.Equal(0.5, farmland.LossM2, 12); // dry land → forest
        Assert.Equal(0.0, farmland.NetM2, 12);
        Assert.Equal(0.5, forest.GainM2, 12);
        Assert.Equal(0.5, forest.LossM2, 12);
    }

    [Fact]
    public void AScope_CutsBothLayers()
    {
        using var scope = new AreaScope(Wkt.Read("POLYGON ((0 0, 1.5 0, 1.5 1, 0 1, 0 0))"), g => g.Area);
        var m = TransferMatrix.Compute(Before, After, scope, g => g.Area);

        Assert.Equal(0.5, Cell(m, "0103", "0101"), 12);
        Assert.Equal(0.25, Cell(m, "0301", "0101"), 12);
        Assert.Equal(0.25, Cell(m, "0301", "0301"), 12);
        Assert.Equal(0.5, m.BeforeAreas["0301"], 12);
        Assert.Equal(0.75, m.AfterAreas["0101"], 12);
    }

    [Fact]
    public void GroundThatOnlyOneLayerCovers_IsReportedAsUncovered()
    {
        var after = Set(("0101", "POLYGON ((0 0, 2 0, 2 0.5, 0 0.5, 0 0))"));

        var m = TransferMatrix.Compute(Before, after, null, g => g.Area);

        Assert.Equal(0.5, m.UncoveredBefore["0103"], 12);
        Assert.Equal(0.5, m.UncoveredBefore["0301"], 12);
        Assert.Empty(m.UncoveredAfter);
    }

    [Fact]
    public void IdenticalAndContainedParcels_TakeTheShortCut_AndAgreeWithTheOverlay()
    {
        // The after layer merges the two before squares: each lies whole inside it.
        var merged = Set(("0101", "POLYGON ((0 0, 2 0, 2 1, 0 1, 0 0))"));

        var m = TransferMatrix.Compute(Before, merged, null, g => g.Area);
        var same = TransferMatrix.Compute(Before, Before, null, g => g.Area);

        Assert.Equal(1.0, Cell(m, "0103", "0101"), 12);
        Assert.Equal(1.0, Cell(m, "0301", "0101"), 12);
        Assert.Equal(1.0, Cell(same, "0103", "0103"), 12);
        Assert.Equal(2, same.Cells.Count);
    }
}
