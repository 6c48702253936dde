using Fuchun.Domain.Analysis;
using Fuchun.Domain.Mosaic;
using NetTopologySuite.Geometries;
using NetTopologySuite.IO;

namespace Fuchun.Domain.Tests.Analysis;

/// <summary>Block search on shapes small enough to work out by hand (planar areas, unit squares).</summary>
public sealed class ContiguousBlocksTests
{
    private static readonly WKTReader Wkt = new();

    private static Geometry G(string wkt) => Wkt.Read(wkt);

    // A  B  .        A–B share an edge; C touches B at the corner (2 1) only.
    // .  .  C        D is a road strip (vertices at every x so that its edges match the fields');
    // D D D D        E lies above it, joined to C through D; F continues the road, G sits on F alone.
    private static readonly (string Name, string Wkt, ContiguityRole Role)[] Fixture =
    [
        ("A", "POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))", ContiguityRole.Member),
        ("B", "POLYGON ((1 0, 2 0, 2 1, 1 1, 1 0))", ContiguityRole.Member),
        ("C", "POLYGON ((2 1, 3 1, 3 2, 2 2, 2 1))", ContiguityRole.Member),
        ("D", "POLYGON ((0 2, 1 2, 2 2, 3 2, 3 2.1, 2 2.1, 1 2.1, 0 2.1, 0 2))", ContiguityRole.Connector),
        ("E", "POLYGON ((0 2.1, 1 2.1, 1 3.1, 0 3.1, 0 2.1))", ContiguityRole.Member),
        ("F", "POLYGON ((3 2, 4 2, 4 2.1, 3 2.1, 3 2))", ContiguityRole.Connector),
        ("G", "POLYGON ((3 2.1, 4 2.1, 4 3.1, 3 3.1, 3 2.1))", ContiguityRole.Member),
    ];

    private static IReadOnlyList<ContiguousBlock> Find((string Name, string Wkt, ContiguityRole Role)[] fixture, bool chain = false, double gap = 0, bool geometry = false)
    {
        var geometries = fixture.Select(f => G(f.Wkt)).ToArray();
        return ContiguousBlocks.Find(geometries, [.. fixture.Select(f => f.Role)], [.. geometries.Select(g => g.Area)],
            a => a >= 2 ? "big" : "none", chain, gap, geometry);
    }

    private static string[] Names(IReadOnlyList<ContiguousBlock> blocks, (string Name, string Wkt, ContiguityRole Role)[] fixture) =>
        [.. blocks.Select(b => string.Concat(b.Members.Select(m => fixture[m].Name)))];

    [Fact]
    public void SharedEdgeJoins_CornerDoesNot_ConnectorJoinsItsNeighbours_WithoutAddingArea()
    {
        var blocks = Find(Fixture);

        // F touches D only (connector to connector): G stays alone.
        Assert.Equal(["AB", "CE", "G"], Names(blocks, Fixture));
        Assert.Equal(2.0, blocks[0].AreaM2, 12);
        Assert.Equal(2.0, blocks[1].AreaM2, 12); // C and E, not the road between them
        Assert.Equal(["big", "big", "none"], blocks.Select(b => b.Tier));
    }

    [Fact]
    public void ChainedConnectors_JoinAcrossTheRoadNetwork()
    {
        Assert.Equal(["CEG", "AB"], Names(Find(Fixture, chain: true), Fixture));
    }

    [Fact]
    public void WithoutTheConnector_TheFieldsAcrossTheRoadAreApart()
    {
        var noRoad = Fixture.Select(f => f.Role == ContiguityRole.Connector ? f with { Role = ContiguityRole.None } : f).ToArray();

        Assert.Equal(["AB", "C", "E", "G"], Names(Find(noRoad), noRoad));
    }

    [Fact]
    public void AnIslandInAHole_JoinsTheFieldAroundIt()
    {
        (string, string, ContiguityRole)[] fixture =
        [
            ("H", "POLYGON ((0 0, 3 0, 3 3, 0 3, 0 0), (1 1, 1 2, 2 2, 2 1, 1 1))", ContiguityRole.Member),
            ("I", "POLYGON ((1 1, 2 1, 2 2, 1 2, 1 1))", ContiguityRole.Member),
        ];

        var block = Assert.Single(Find(fixture, geometry: true));
        Assert.Equal(9.0, block.AreaM2, 12);
        Assert.Equal(9.0, block.Geometry!.Area, 12);
        Assert.Equal(0, ((Polygon)block.Geometry).NumInteriorRings);
    }

    [Fact]
    public void Outlines_WhereTheBlockTouchesItselfAtAPoint_AreValid()
    {
        // Eight unit squares around an empty centre (a hole), and three more to the right, i, k and j, that close a
        // pocket [3,4]×[0,1] against c. i meets c at the corner (3 0) only, where the pocket's outline touches the
        // block's outer outline: a walk along the outline passes (3 0) twice.
        (string, string, ContiguityRole)[] fixture =
        [
            ("a", "POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))", ContiguityRole.Member),
            ("b", "POLYGON ((1 0, 2 0, 2 1, 1 1, 1 0))", ContiguityRole.Member),
            ("c", "POLYGON ((2 0, 3 0, 3 1, 2 1, 2 0))", ContiguityRole.Member),
            ("d", "POLYGON ((2 1, 3 1, 3 2, 2 2, 2 1))", ContiguityRole.Member),
            ("e", "POLYGON ((2 2, 3 2, 3 3, 2 3, 2 2))", ContiguityRole.Member),
            ("f", "POLYGON ((1 2, 2 2, 2 3, 1 3, 1 2))", ContiguityRole.Member),
            ("g", "POLYGON ((0 2, 1 2, 1 3, 0 3, 0 2))", ContiguityRole.Member),
            ("h", "POLYGON ((0 1, 1 1, 1 2, 0 2, 0 1))", ContiguityRole.Member),
            ("centre", "POLYGON ((1 1, 2 1, 2 2, 1 2, 1 1))", ContiguityRole.None),
            ("j", "POLYGON ((3 1, 4 1, 5 1, 5 2, 3 2, 3 1))", ContiguityRole.Member),
            ("i", "POLYGON ((3 -1, 4 -1, 4 0, 3 0, 3 -1))", ContiguityRole.Member),
            ("k", "POLYGON ((4 -1, 5 -1, 5 1, 4 1, 4 0, 4 -1))", ContiguityRole.Member),
        ];

        var blocks = Find(fixture, geometry: true);

        var block = Assert.Single(blocks);
        Assert.True(block.Geometry!.IsValid, block.Geometry.ToText());
        Assert.Equal(2, ((Polygon)block.Geometry).NumInteriorRings);
        Assert.Equal(block.AreaM2, block.Geometry.Area, 12);
        var members = block.Members.Select(m => G(fixture[m].Item2)).ToArray();
        Assert.True(block.Geometry.EqualsTopologically(NetTopologySuite.Operation.Union.UnaryUnionOp.Union(members)));
    }

    [Fact]
    public void EdgesMustMatchVertexForVertex_APartialOverlapOfEdgesIsNotAJoin()
    {
        // J's right edge (1 0)-(1 2) against K's left edge (1 0)-(1 1): not a shared edge in a coverage.
        (string, string, ContiguityRole)[] fixture =
        [
            ("J", "POLYGON ((0 0, 1 0, 1 2, 0 2, 0 0))", ContiguityRole.Member),
            ("K", "POLYGON ((1 0, 2 0, 2 1, 1 1, 1 0))", ContiguityRole.Member),
        ];

        Assert.Equal(2, Find(fixture).Count);
    }

    [Fact]
    public void GapTolerance_JoinsAlongAnEdge_ButNotAtACorner()
    {
        (string, string, ContiguityRole)[] fixture =
        [
            ("L", "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))", ContiguityRole.Member),
            ("M", "POLYGON ((11 0, 21 0, 21 10, 11 10, 11 0))", ContiguityRole.Member),    // 1 apart along 10
            ("N", "POLYGON ((11.5 11.5, 20 11.5, 20 20, 11.5 20, 11.5 11.5))", ContiguityRole.Member), // corner of L ~2.1 away, of M 1.5 above
            ("O", "POLYGON ((-10.5 10.5, -0.5 10.5, -0.5 20, -10.5 20, -10.5 10.5))", ContiguityRole.Member), // corner to corner, 0.7 apart
        ];

        Assert.Equal(["L", "M", "O", "N"], Names(Find(fixture), fixture));
        Assert.Equal(["LMN", "O"], Names(Find(fixture, gap: 2), fixture));
    }

    [Fact]
    public void Blocks_AreLargestFirst_AndTheResultDoesNotDependOnOrder()
    {
        var reversed = Fixture.Reverse().ToArray();

        var a = Find(Fixture).Select(b => (b.AreaM2, string.Concat(b.Members.Select(m => Fixture[m].Name).Order()))).ToList();
        var b = Find(reversed).Select(b => (b.AreaM2, string.Concat(b.Members.Select(m => reversed[m].Name).Order()))).ToList();

        Assert.Equal(a.OrderBy(x => x.Item2), b.OrderBy(x => x.Item2));
        Assert.True(Find(Fixture).Select(x => x.AreaM2).SequenceEqual(Find(Fixture).Select(x => x.AreaM2).OrderDescending()));
    }

    [Fact]
    public void Dissolve_GivesEachGroupTheBlocksFindGivesIt_FromOneMatchingOfTheEdges()
    {
        // A real coverage: a mosaic's parcels, grouped by land class as the map's generaliser groups them.
        var parcels = new MosaicGenerator(2_000, seed: 3).Before().ToList();
        var geometries = parcels.Select(p => (Geometry)p.Geometry).ToArray();
        var classes = parcels.Select(p => p.LandClass).Distinct().Order(StringComparer.Ordinal).ToList();
        var groups = parcels.Select(p => classes.IndexOf(p.LandClass)).ToArray();

        var dissolved = ContiguousBlocks.Dissolve(geometries, ContiguousBlocks.CoverageEdges.Of(geometries), groups);

        var expected = new List<(Geometry Geometry, int[] Members)>();
        for (var g = 0; g < classes.Count; g++)
        {
            var roles = groups.Select(x => x == g ? ContiguityRole.Member : ContiguityRole.None).ToArray();
            expected.AddRange(ContiguousBlocks.Find(geometries, roles, new double[geometries.Length], _ => "", withGeometry: true)
                .Select(b => (b.Geometry!, b.Members)));
        }

        Assert.Equal(expected.Select(e => e.Members), dissolved.Select(d => d.Members));
        Assert.True(dissolved.Count < geometries.Length / 2, $"{dissolved.Count} blocks of {geometries.Length} parcels: few neighbours were joined");
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(expected[i].Geometry.EqualsExact(dissolved[i].Geometry), $"block {i}: the outlines differ");
        }
    }
}
