using Fuchun.Domain.Analysis;
using Fuchun.Domain.Policy;
using Fuchun.Spatial;
using Fuchun.Spatial.Area;
using NetTopologySuite.Geometries;

namespace Fuchun.Domain.Tests.Policy;

/// <summary>
/// Each rule on fixtures small enough to check by hand: a row of 0.002° squares near Fuyang (about 64 亩 each),
/// the same squares before and after, each with its own classes and flags, so that every figure is a sum of squares.
/// </summary>
public sealed class PolicyCheckerTests
{
    private const double X0 = 119.95, Y0 = 30.05, D = 0.002;

    private sealed record Cell(string Before, string After, bool PbfBefore = false, bool PbfAfter = false, bool Hsf = false, string? Location = null);

    private static Polygon Square(int i, int j = 0, double size = D) =>
        Cgcs2000.Factory.CreatePolygon([new(X0 + (i * D), Y0 + (j * D)), new(X0 + (i * D) + size, Y0 + (j * D)), new(X0 + (i * D) + size, Y0 + (j * D) + size), new(X0 + (i * D), Y0 + (j * D) + size), new(X0 + (i * D), Y0 + (j * D))]);

    private static double A(Geometry g) => EllipsoidalArea.OfGeometry(g);

    private static readonly ProjectFacts Facts = new(true, new DateOnly(2024, 3, 1), new DateOnly(2026, 12, 31), false, [], []);

    private static CheckInput Input(Cell[] cells, ProjectFacts? facts = null, bool zones = true, Geometry? dev = null, Geometry? redLine = null,
        Geometry? parks = null, IReadOnlyList<PbfAdjustment>? adjustments = null, IReadOnlyList<PlannedLand>? planned = null, IReadOnlyList<TownshipArea>? townships = null)
    {
        var squares = cells.Select((_, i) => (Geometry)Cgcs2000.Factory.CreateMultiPolygon([Square(i)])).ToArray();
        ParcelSet Set(bool after) => new(squares, [.. cells.Select(c => after ? c.After : c.Before)], [.. squares.Select(A)],
            [.. cells.Select(c => after ? c.PbfAfter : c.PbfBefore)], [.. cells.Select(c => c.Hsf)], [.. cells.Select((_, i) => i + 1L)], [.. cells.Select(c => c.Location)]);
        var area = Cgcs2000.Factory.CreatePolygon([new(X0, Y0), new(X0 + (cells.Length * D), Y0), new(X0 + (cells.Length * D), Y0 + D), new(X0, Y0 + D), new(X0, Y0)]);
        var analysis = new AnalysisInput("T", area, zones ? [new AnalysisZone("Z1", "整治区", area)] : [], Set(false), Set(true), dev, redLine);
        return new(analysis, facts ?? Facts, parks, adjustments, planned, townships);
    }

    private static RuleResult Rule(CheckInput input, string id) => PolicyChecker.Check(input).Single(r => r.Id == id);

    [Fact]
    public void EveryRule_IsReported_InIdOrder_WithItsParagraphAndTheEdition()
    {
        var results = PolicyChecker.Check(Input([new("0101", "0101")]));

        Assert.Equal(Enumerable.Range(1, 16).Select(i => $"R{i:00}"), results.Select(r => r.Id));
        Assert.All(results, r => Assert.False(string.IsNullOrEmpty(r.Reading.Quote)));
        Assert.All(results, r => Assert.False(string.IsNullOrEmpty(r.Detail)));
        Assert.Equal("hz-2023-21/v1", PolicyEdition.Default.Id);
    }

    [Fact]
    public void R01_PbfInZones_AllHighStandard_Passes_OtherwiseFails_NamingTheParcel()
    {
        var pass = Rule(Input([new("0101", "0101", PbfAfter: true, Hsf: true), new("0101", "0101", PbfAfter: true, Hsf: true)]), "R01");
        var fail = Rule(Input([new("0101", "0101", PbfAfter: true, Hsf: true), new("0101", "0101", PbfAfter: true)]), "R01");

        Assert.Equal((Verdict.Pass, 1.0), (pass.Verdict, pass.Value!.Value));
        Assert.Equal(Verdict.Fail, fail.Verdict);
        Assert.Equal(A(Square(0)) / (A(Square(0)) + A(Square(1))), fail.Value!.Value, 9);
        Assert.Equal(["parcels_after#2"], fail.Offenders);
        Assert.Equal(Verdict.NotApplicable, Rule(Input([new("0101", "0101")]), "R01").Verdict);
        Assert.Equal(Verdict.InsufficientData, Rule(Input([new("0101", "0101", PbfAfter: true)], zones: false), "R01").Verdict);
    }

    [Fact]
    public void R02_NewFarmland_NetAgainstFarmlandBefore_InZones()
    {
        // Two farmland squares before, three after: +50 %, pass; one of two lost: −50 %, fail.
        var pass = Rule(Input([new("0101", "0101"), new("0103", "0101"), new("0301", "0102")]), "R02");
        var fail = Rule(Input([new("0101", "0101"), new("0103", "0301")]), "R02");

        Assert.Equal(Verdict.Pass, pass.Verdict);
        Assert.Equal(A(Square(2)) / (A(Square(0)) + A(Square(1))), pass.Value!.Value, 9);
        Assert.Equal(0.05, pass.Threshold);
        Assert.Equal(Verdict.Fail, fail.Verdict);
        Assert.Equal(Verdict.NotApplicable, Rule(Input([new("0301", "0101")]), "R02").Verdict);
    }

    [Fact]
    public void R03_IndustrialLandInParks_SeventyPercent()
    {
        Cell[] cells = [new("0601", "0601"), new("0601", "0601"), new("0301", "0301")];
        var half = Rule(Input(cells, parks: Square(0)), "R03");
        var all = Rule(Input(cells, parks: Cgcs2000.Factory.CreateMultiPolygon([Square(0), Square(1)])), "R03");

        Assert.Equal(Verdict.Fail, half.Verdict);
        Assert.Equal(A(Square(0)) / (A(Square(0)) + A(Square(1))), half.Value!.Value, 6);
        Assert.Equal(["parcels_after#2"], half.Offenders);
        Assert.Equal(Verdict.Pass, all.Verdict);
        Assert.Equal(Verdict.InsufficientData, Rule(Input(cells), "R03").Verdict);
        Assert.Equal(Verdict.NotApplicable, Rule(Input([new("0301", "0301")]), "R03").Verdict);
    }

    [Fact]
    public void R04_APilotNeedsABlockOfAHundredMu()
    {
        // Two adjacent PBF squares: 128 亩, a 百亩方. One square: 64 亩, below.
        var two = Rule(Input([new("0101", "0101", PbfAfter: true), new("0101", "0101", PbfAfter: true)]), "R04");
        var one = Rule(Input([new("0101", "0101", PbfAfter: true), new("0301", "0301")]), "R04");

        Assert.Equal(Verdict.Pass, two.Verdict);
        Assert.Equal(A(Square(0)) + A(Square(1)), two.Value!.Value, 6);
        Assert.Equal(AreaUnits.FromMu(100), two.Threshold!.Value, 9);
        Assert.Equal(Verdict.Fail, one.Verdict);
        Assert.Equal(Verdict.NotApplicable, Rule(Input([new("0101", "0101", PbfAfter: true)], Facts with { Pilot = false }), "R04").Verdict);
        Assert.Equal(Verdict.InsufficientData, Rule(Input([new("0101", "0101", PbfAfter: true)], Facts with { Pilot = null }), "R04").Verdict);
    }

    private static PbfAdjustment Adjust(string id, string direction, double size, int at = 0, DateOnly? on = null)
    {
        var square = Square(at, 3, size);
        return new(id, direction, square, A(square), on ?? new DateOnly(2024, 6, 1));
    }

    [Theory]
    [InlineData(0.02, false, Verdict.Pass)]
    [InlineData(0.04, false, Verdict.Warn)]
    [InlineData(0.06, false, Verdict.Fail)]
    [InlineData(0.06, true, Verdict.Warn)]
    public void R05_AdjustedOutAgainstPbfBefore_ThreeAndFivePercent(double share, bool provincialApproval, Verdict expected)
    {
        Cell[] cells = [new("0101", "0101", PbfBefore: true), new("0101", "0101", PbfBefore: true)];
        var pbf = A(Square(0)) + A(Square(1));
        // A square of side s has about (s/D)² of a cell's area: choose s for the share wanted.
        var size = D * Math.Sqrt(share * 2);
        var result = Rule(Input(cells, Facts with { ProvincialApprovalForPbfAdjustment = provincialApproval }, adjustments: [Adjust("O1", "out", size)]), "R05");

        Assert.Equal(expected, result.Verdict);
        Assert.Equal(A(Square(0, 3, size)) / pbf, result.Value!.Value, 9);
        Assert.Equal(0.03, result.Threshold);
        Assert.Equal(Verdict.InsufficientData, Rule(Input(cells), "R05").Verdict);
    }

    [Fact]
    public void R06_AddedMustExceedRemovedByFivePercent()
    {
        var removed = Adjust("O1", "out", D);
        var enough = Adjust("I1", "in", D * Math.Sqrt(1.06), at: 2);
        var short_ = Adjust("I1", "in", D * Math.Sqrt(1.03), at: 2);

        var pass = Rule(Input([new("0101", "0101")], adjustments: [removed, enough]), "R06");
        var fail = Rule(Input([new("0101", "0101")], adjustments: [removed, short_]), "R06");

        Assert.Equal(Verdict.Pass, pass.Verdict);
        Assert.Equal((enough.AreaM2 - removed.AreaM2) / removed.AreaM2, pass.Value!.Value, 9);
        Assert.Equal(Verdict.Fail, fail.Verdict);
        Assert.Equal(Verdict.NotApplicable, Rule(Input([new("0101", "0101")], adjustments: []), "R06").Verdict);
        // No adjustment layer at all: not stated, never a pass.
        Assert.Equal(Verdict.InsufficientData, Rule(Input([new("0101", "0101")], adjustments: null), "R06").Verdict);
    }

    [Fact]
    public void R07_AddFirstOutsideTheBoundary_ThenAdjustInside()
    {
        // The development boundary covers the squares at i = 0 and 1 of row 3.
        var boundary = Cgcs2000.Factory.CreateMultiPolygon([Square(0, 3), Square(1, 3)]);
        var outInside = Adjust("O1", "out", D, at: 0, on: new DateOnly(2024, 6, 1));
        var inOutside = Adjust("I1", "in", D, at: 3, on: new DateOnly(2024, 5, 1));

        var pass = Rule(Input([new("0101", "0101")], dev: boundary, adjustments: [outInside, inOutside]), "R07");
        var late = Rule(Input([new("0101", "0101")], dev: boundary, adjustments: [outInside, inOutside with { EffectiveOn = new DateOnly(2024, 7, 1) }]), "R07");
        var inInside = Rule(Input([new("0101", "0101")], dev: boundary, adjustments: [outInside, Adjust("I2", "in", D, at: 1, on: new DateOnly(2024, 5, 1))]), "R07");
        var outOutside = Rule(Input([new("0101", "0101")], dev: boundary, adjustments: [Adjust("O2", "out", D, at: 4), inOutside]), "R07");

        Assert.Equal(Verdict.Pass, pass.Verdict);
        Assert.Equal(Verdict.Fail, late.Verdict);
        Assert.Contains("date#2024-06-01", late.Offenders);
        Assert.Equal(Verdict.Fail, inInside.Verdict);
        Assert.Contains("pbf_adjustments#I2", inInside.Offenders);
        Assert.Equal(Verdict.Warn, outOutside.Verdict);
        Assert.Equal(["pbf_adjustments#O2"], outOutside.Offenders);
        Assert.Equal(Verdict.InsufficientData, Rule(Input([new("0101", "0101")], adjustments: [outInside]), "R07").Verdict);
    }

    [Fact]
    public void R08_ConstructionLandMustNotGrow_InAPilot()
    {
        var grows = Rule(Input([new("0702", "0702"), new("0101", "0601")]), "R08");
        var shrinks = Rule(Input([new("0702", "0101"), new("0101", "0101")]), "R08");

        Assert.Equal(Verdict.Fail, grows.Verdict);
        Assert.Equal(A(Square(1)), grows.Value!.Value, 6);
        Assert.Equal(Verdict.Pass, shrinks.Verdict);
        Assert.Equal(Verdict.NotApplicable, Rule(Input([new("0702", "0601")], Facts with { Pilot = false }), "R08").Verdict);
    }

    [Fact]
    public void R09_PlannedFacilityLand_AtMostFivePercentOfContiguousFarmland()
    {
        Cell[] cells = [new("0101", "0101"), new("0101", "0101")];   // 128 亩 of contiguous farmland
        var small = Rule(Input(cells, planned: [new PlannedLand("facility", Square(0, 0, D * 0.2))]), "R09");
        var large = Rule(Input(cells, planned: [new PlannedLand("agritourism", Square(0, 0, D * 0.5))]), "R09");

        Assert.Equal(Verdict.Pass, small.Verdict);
        Assert.Equal(A(Square(0, 0, D * 0.2)) / (A(Square(0)) + A(Square(1))), small.Value!.Value, 6);
        Assert.Equal(Verdict.Fail, large.Verdict);
        Assert.Equal(Verdict.NotApplicable, Rule(Input(cells, planned: []), "R09").Verdict);
        Assert.Equal(Verdict.InsufficientData, Rule(Input(cells), "R09").Verdict);
    }

    [Fact]
    public void R10_ReplacementAtMostTheDemolishedArea_PerEnterprise()
    {
        var pass = Rule(Input([new("0601", "0601")], Facts with { Relocations = [new("甲厂", 12000, 9000)] }), "R10");
        var fail = Rule(Input([new("0601", "0601")], Facts with { Relocations = [new("甲厂", 12000, 9000), new("乙厂", 10000, 13000)] }), "R10");

        Assert.Equal((Verdict.Pass, 0.75), (pass.Verdict, pass.Value!.Value));
        Assert.Equal((Verdict.Fail, 1.3), (fail.Verdict, Math.Round(fail.Value!.Value, 9)));
        Assert.Equal(["乙厂"], fail.Offenders);
        Assert.Equal(Verdict.NotApplicable, Rule(Input([new("0601", "0601")]), "R10").Verdict);
        Assert.Equal(Verdict.InsufficientData, Rule(Input([new("0601", "0601")], Facts with { Relocations = null }), "R10").Verdict);
    }

    [Fact]
    public void R11_RuralHomesteadsMustShrink()
    {
        Assert.Equal(Verdict.Pass, Rule(Input([new("0702", "0101"), new("0702", "0702")]), "R11").Verdict);
        Assert.Equal(Verdict.Warn, Rule(Input([new("0702", "0702")]), "R11").Verdict);
        var fail = Rule(Input([new("0101", "0702")]), "R11");
        Assert.Equal(Verdict.Fail, fail.Verdict);
        Assert.Equal(A(Square(0)), fail.Value!.Value, 6);
    }

    [Fact]
    public void R12_WaterAndForestBalance_OrARecordedCompensation()
    {
        Cell[] loss = [new("0301", "0101"), new("1104", "1104")];

        var fail = Rule(Input(loss), "R12");
        Assert.Equal(Verdict.Fail, fail.Verdict);
        Assert.Equal(["forest"], fail.Offenders);
        Assert.Equal(-A(Square(0)), fail.Value!.Value, 6);
        Assert.Equal(Verdict.Pass, Rule(Input(loss, Facts with { Compensations = [new("forest", A(Square(0)) + 1)] }), "R12").Verdict);
        Assert.Equal(Verdict.InsufficientData, Rule(Input(loss, Facts with { Compensations = null }), "R12").Verdict);
        Assert.Equal(Verdict.Pass, Rule(Input([new("0101", "0301")], Facts with { Compensations = null }), "R12").Verdict);
    }

    [Fact]
    public void R13_FarmlandIn_AtLeastFarmlandOut()
    {
        var even = Rule(Input([new("0201", "0101"), new("0101", "0301")]), "R13");
        var fail = Rule(Input([new("0201", "0101"), new("0101", "0301"), new("0103", "0202")]), "R13");

        Assert.Equal(Verdict.Pass, even.Verdict);
        Assert.Equal(A(Square(0)) - A(Square(1)), even.Value!.Value, 6);
        Assert.Equal(Verdict.Fail, fail.Verdict);
    }

    [Fact]
    public void R14_APilotSpansTwoTownships_FromTheLayerOrFromZldwdm()
    {
        Cell[] cells = [new("0101", "0101", Location: "330111101001"), new("0101", "0101", Location: "330111102001")];
        var fromCodes = Rule(Input(cells), "R14");
        var oneTownship = Rule(Input(cells, townships: [new TownshipArea("330111101", "甲镇", Cgcs2000.Factory.CreateMultiPolygon([Square(0), Square(1)]))]), "R14");

        Assert.Equal((Verdict.Pass, 2.0), (fromCodes.Verdict, fromCodes.Value!.Value));
        Assert.Equal((Verdict.Fail, 1.0), (oneTownship.Verdict, oneTownship.Value!.Value));
        Assert.Equal(Verdict.InsufficientData, Rule(Input([new("0101", "0101")]), "R14").Verdict);
        // Not a pilot: the count is reported, the rule does not apply; pilot not stated: not judged.
        var notPilot = Rule(Input(cells, facts: Facts with { Pilot = false }), "R14");
        Assert.Equal((Verdict.NotApplicable, 2.0), (notPilot.Verdict, notPilot.Value!.Value));
        Assert.Equal(Verdict.InsufficientData, Rule(Input(cells, facts: Facts with { Pilot = null }), "R14").Verdict);
    }

    [Fact]
    public void R15_NothingInTheRedLineTurnsToFarmlandOrConstruction()
    {
        var fail = Rule(Input([new("0301", "0101"), new("0301", "0301")], redLine: Square(0)), "R15");
        var pass = Rule(Input([new("0301", "0301"), new("0301", "0101")], redLine: Square(0)), "R15");

        Assert.Equal(Verdict.Fail, fail.Verdict);
        Assert.Equal(A(Square(0)), fail.Value!.Value, 3);
        Assert.Equal(["parcels_after#1"], fail.Offenders);
        Assert.Equal(Verdict.Pass, pass.Verdict);
        Assert.Equal(Verdict.InsufficientData, Rule(Input([new("0301", "0101")]), "R15").Verdict);
    }

    [Fact]
    public void R16_DatesWithinThePolicysTerm()
    {
        Assert.Equal(Verdict.Pass, Rule(Input([new("0101", "0101")]), "R16").Verdict);
        var early = Rule(Input([new("0101", "0101")], Facts with { ApprovedOn = new DateOnly(2022, 12, 1) }), "R16");
        Assert.Equal(Verdict.Warn, early.Verdict);
        Assert.Equal(["approved_on"], early.Offenders);
        Assert.Equal(Verdict.Warn, Rule(Input([new("0101", "0101")], Facts with { PlannedCompletion = new DateOnly(2028, 6, 30) }), "R16").Verdict);
        Assert.Equal(Verdict.InsufficientData, Rule(Input([new("0101", "0101")], Facts with { ApprovedOn = null }), "R16").Verdict);
    }
}
