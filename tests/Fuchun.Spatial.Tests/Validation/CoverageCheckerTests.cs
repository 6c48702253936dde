using Fuchun.Spatial.Validation;
using NetTopologySuite.Geometries;

namespace Fuchun.Spatial.Tests.Validation;

public sealed class CoverageCheckerTests
{
    private const double Step = 0.0005;   // about 50 m at Hangzhou

    private static Polygon Box(double x0, double y0, double x1, double y1, params Coordinate[][] holes) => Cgcs2000.Factory.CreatePolygon(
        Cgcs2000.Factory.CreateLinearRing([new(x0, y0), new(x1, y0), new(x1, y1), new(x0, y1), new(x0, y0)]),
        [.. holes.Select(h => Cgcs2000.Factory.CreateLinearRing(h))]);

    private static Polygon Cell(int i, int j) => Box(120 + (i * Step), 30 + (j * Step), 120 + ((i + 1) * Step), 30 + ((j + 1) * Step));

    private static List<Polygon> Grid(int n) => [.. Enumerable.Range(0, n * n).Select(k => Cell(k % n, k / n))];

    private static IReadOnlyList<CoverageDefect> Check(IEnumerable<Geometry> polygons)
    {
        var checker = new CoverageChecker();
        var i = 0;
        foreach (var p in polygons)
        {
            checker.Add(++i, p);
        }

        return checker.Finish(Cgcs2000.Factory);
    }

    [Fact]
    public void ExactGrid_InAnyOrder_HasNoDefect()
    {
        var grid = Grid(6);

        Assert.Empty(Check(grid));
        Assert.Empty(Check(grid.OrderBy(p => (p.Centroid.X * 7919) % 1)));
    }

    [Fact]
    public void LargeGrid_Shuffled_KeepsWaitingExactlyItsOutline()
    {
        // Enough edges for every shard's table to grow many times over and to lose edges all through it.
        const int N = 120;
        var grid = Grid(N);
        var random = new Random(20261202);
        var checker = new CoverageChecker();
        var order = Enumerable.Range(0, grid.Count).OrderBy(_ => random.Next()).ToList();
        for (var k = 0; k < order.Count; k++)
        {
            checker.Add(k + 1, grid[order[k]]);
        }

        Assert.Equal(4 * N, checker.PendingEdges);
        Assert.Empty(checker.Finish(Cgcs2000.Factory));

        // The same cell twice: its four edges each meet themselves running the same way.
        var twice = new CoverageChecker();
        for (var k = 0; k < grid.Count; k++)
        {
            twice.Add(k + 1, grid[k]);
        }

        twice.Add(grid.Count + 1, grid[(N * N / 2) + 7]);
        Assert.Contains(twice.Finish(Cgcs2000.Factory), d => d.Kind == CoverageDefectKind.Overlap && d.Feature == grid.Count + 1);
    }

    [Fact]
    public void MissingInteriorCell_IsAGapWithItsArea()
    {
        var grid = Grid(5);
        grid.RemoveAt(12);   // the middle cell

        var defect = Assert.Single(Check(grid));

        Assert.Equal(CoverageDefectKind.Gap, defect.Kind);
        Assert.True(Cell(2, 2).Contains(Cgcs2000.Factory.CreatePoint(defect.Location)));
        Assert.Equal(Fuchun.Spatial.Area.EllipsoidalArea.OfGeometry(Cell(2, 2)), Math.Abs(Fuchun.Spatial.Area.EllipsoidalArea.OfRing(defect.Ring!.CoordinateSequence)), 1e-6);
    }

    [Fact]
    public void ACrackOfTwentyCentimetres_IsAGap()
    {
        // Column 2 narrowed by 0.2 m on its right side: a crack the full height of the grid, closed at both ends
        // by the cells above and below the grid's middle rows.
        var crack = 0.2 / 96_000;   // degrees of longitude at 30°N
        var grid = Grid(5);
        for (var j = 1; j <= 3; j++)
        {
            var k = (j * 5) + 2;
            grid[k] = Box(120 + (2 * Step), 30 + (j * Step), 120 + (3 * Step) - crack, 30 + ((j + 1) * Step));
        }

        var defects = Check(grid);

        Assert.NotEmpty(defects);
        Assert.Contains(defects, d => d.Kind is CoverageDefectKind.Gap or CoverageDefectKind.EdgeMismatch);
    }

    [Fact]
    public void NeighboursWhoseSharedEdgeDriftsByFloatingPointError_AreAMismatch_NotASilentPass()
    {
        // Cells whose corners are computed two ways (x0 + step + step against x0 + 2·step) differ in the last bit:
        // the shared boundary looks like two separate outlines a hair apart.
        var grid = new List<Polygon>();
        for (var j = 0; j < 3; j++)
        {
            for (var i = 0; i < 3; i++)
            {
                if (i == 1 && j == 1)
                {
                    continue;
                }

                double x = 119.95 + (i * 0.0005), y = 30.05 + (j * 0.0005);
                grid.Add(Box(x, y, x + 0.0005, y + 0.0005));
            }
        }

        var defects = Check(grid);

        Assert.NotEmpty(defects);
        Assert.Contains(defects, d => d.Kind is CoverageDefectKind.EdgeMismatch or CoverageDefectKind.Gap);
    }

    [Fact]
    public void VertexOnANeighboursEdge_IsAnEdgeMismatch()
    {
        var grid = Grid(3);
        var c = Cell(1, 1);
        var mid = new Coordinate(120 + (2 * Step), 30 + (1.5 * Step));
        grid[4] = Cgcs2000.Factory.CreatePolygon([c.Coordinates[0], c.Coordinates[1], mid, c.Coordinates[2], c.Coordinates[3], c.Coordinates[0]]);

        var defects = Check(grid);

        Assert.NotEmpty(defects);
        Assert.All(defects, d => Assert.Equal(CoverageDefectKind.EdgeMismatch, d.Kind));
        Assert.Contains(defects, d => d.Location.Equals2D(mid));
    }

    [Fact]
    public void DuplicatedOrNestedPolygons_AreOverlaps()
    {
        var duplicated = Grid(3);
        duplicated.Add(Cell(1, 1));
        var nested = Grid(3);
        nested.Add(Box(120 + (1.2 * Step), 30 + (1.2 * Step), 120 + (1.8 * Step), 30 + (1.8 * Step)));
        var shifted = Grid(3);
        shifted.Add(Box(120 + (0.5 * Step), 30 + (0.5 * Step), 120 + (1.5 * Step), 30 + (1.5 * Step)));

        Assert.Contains(Check(duplicated), d => d.Kind == CoverageDefectKind.Overlap && d.Feature == 10);
        Assert.Contains(Check(nested), d => d.Kind == CoverageDefectKind.Overlap);
        Assert.Contains(Check(shifted), d => d.Kind == CoverageDefectKind.Overlap);
    }

    [Fact]
    public void IslandFillingAHole_IsExact_AndAnEmptyHoleIsAGap()
    {
        Coordinate[] hole = [new(120.0002, 30.0002), new(120.0002, 30.0003), new(120.0003, 30.0003), new(120.0003, 30.0002), new(120.0002, 30.0002)];
        var field = Box(120, 30, 120 + Step, 30 + Step, hole);
        var island = Box(120.0002, 30.0002, 120.0003, 30.0003);

        Assert.Empty(Check([field, island]));
        var gap = Assert.Single(Check([field]));
        Assert.Equal(CoverageDefectKind.Gap, gap.Kind);
    }
}
