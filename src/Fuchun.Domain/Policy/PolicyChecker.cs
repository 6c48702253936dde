using System.Globalization;
using Fuchun.Domain.Analysis;
using Fuchun.Domain.LandClasses;
using Fuchun.Domain.Resources;
using Fuchun.Spatial.Area;
using NetTopologySuite.Geometries;
using NetTopologySuite.Operation.Overlay;
using NetTopologySuite.Operation.OverlayNG;
using NetTopologySuite.Operation.Union;

namespace Fuchun.Domain.Policy;

/// <summary>
/// Checks a project against every rule of 杭政办函〔2023〕21号 (<c>rules.md</c>, R01–R16) as an edition reads them:
/// each an explicit computation on the analysis's ellipsoidal areas, giving the verdict, the value against the
/// threshold, the inputs used and what causes a <c>fail</c> or <c>warn</c>. A missing input gives
/// <c>insufficient_data</c>, never a pass.
/// </summary>
public sealed class PolicyChecker
{
    private const string Ratio = "ratio", SquareMetres = "m2", Count = "count", Date = "date";
    private static readonly Func<Geometry, double> Area = EllipsoidalArea.OfGeometry;

    private readonly CheckInput input;
    private readonly PolicyEdition edition;
    private readonly AnalysisInput a;
    private readonly Lazy<AreaScope> project;
    private readonly Lazy<AreaScope?> zones;
    private readonly Lazy<TransferMatrixResult> matrix;

    private PolicyChecker(CheckInput input, PolicyEdition edition)
    {
        this.input = input;
        this.edition = edition;
        a = input.Analysis;
        project = new(() => new AreaScope(a.ProjectArea, Area));
        zones = new(() => a.Zones.Count == 0 ? null : new AreaScope(UnaryUnionOp.Union(a.Zones.Select(z => z.Geometry).ToList()), Area));
        matrix = new(() => TransferMatrix.Compute(a.Before, a.After, project.Value, Area));
    }

    /// <summary>Every rule of the edition, in ID order.</summary>
    public static IReadOnlyList<RuleResult> Check(CheckInput input, PolicyEdition? edition = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        var checker = new PolicyChecker(input, edition ?? PolicyEdition.Default);
        try
        {
            return
            [
                checker.R01(), checker.R02(), checker.R03(), checker.R04(), checker.R05(), checker.R06(), checker.R07(), checker.R08(),
                checker.R09(), checker.R10(), checker.R11(), checker.R12(), checker.R13(), checker.R14(), checker.R15(), checker.R16(),
            ];
        }
        finally
        {
            if (checker.project.IsValueCreated)
            {
                checker.project.Value.Dispose();
            }

            if (checker.zones.IsValueCreated)
            {
                checker.zones.Value?.Dispose();
            }
        }
    }

    private RuleResult Result(string id, Verdict verdict, double? value, double? threshold, string unit, string detail, string[] inputs, IEnumerable<string>? offenders = null) =>
        new(id, verdict, value, threshold, unit, detail, inputs, edition[id], [.. (offenders ?? []).Take(500)]);

    private RuleResult Missing(string id, string unit, string[] inputs, string what) =>
        Result(id, Verdict.InsufficientData, null, null, unit, Messages.Get("PolicyMissing", what), inputs);

    private static string Mu(double m2) => AreaUnits.ToMu(m2).ToString("#,0.00", CultureInfo.InvariantCulture);

    private static string Percent(double ratio) => (ratio * 100).ToString("0.00", CultureInfo.InvariantCulture) + "%";

    private static string Parcel(string layer, long id) => $"{layer}#{id}";

    /// <summary>The part of the chosen parcels inside a scope, and the parcels that have a part there.</summary>
    private static (double Area, List<int> Parcels) AreaIn(ParcelSet parcels, AreaScope scope, Func<int, bool> pick)
    {
        var pieces = new double[parcels.Count];
        Parallel.For(0, parcels.Count, i => pieces[i] = pick(i) ? scope.Clip(parcels.Geometries[i], parcels.Areas[i]).Area : 0);
        return (pieces.Sum(), [.. Enumerable.Range(0, parcels.Count).Where(i => pieces[i] > 0)]);
    }

    private RuleResult R01()
    {
        string[] inputs = ["parcels_after", "zones"];
        if (zones.Value is not { } z)
        {
            return Missing("R01", Ratio, inputs, "zones");
        }

        var (pbf, pbfParcels) = AreaIn(a.After, z, i => a.After.Pbf[i]);
        if (pbf <= 0)
        {
            return Result("R01", Verdict.NotApplicable, null, 1.0, Ratio, Messages.Get("PolicyR01None"), inputs);
        }

        var (both, _) = AreaIn(a.After, z, i => a.After.Pbf[i] && a.After.HighStandard[i]);
        var ratio = both / pbf;
        var verdict = pbf - both <= AreaUnits.FromMu(edition["R01"].Number("tolerance_mu")) ? Verdict.Pass : Verdict.Fail;
        return Result("R01", verdict, ratio, 1.0, Ratio, Messages.Get("PolicyR01", Mu(pbf), Mu(both), Percent(ratio)), inputs,
            verdict == Verdict.Fail ? pbfParcels.Where(i => !a.After.HighStandard[i]).Select(i => Parcel("parcels_after", a.After.Ids[i])) : null);
    }

    private RuleResult R02()
    {
        string[] inputs = ["parcels_before", "parcels_after", "zones"];
        if (zones.Value is not { } z)
        {
            return Missing("R02", Ratio, inputs, "zones");
        }

        var reading = edition["R02"];
        var before = AreaIn(a.Before, z, i => LandClassGroups.IsFarmland(a.Before.Classes[i])).Area;
        var after = AreaIn(a.After, z, i => LandClassGroups.IsFarmland(a.After.Classes[i])).Area;
        if (before <= 0)
        {
            return Result("R02", Verdict.NotApplicable, null, reading.Number("minimum"), Ratio, Messages.Get("PolicyR02None", Mu(after)), inputs);
        }

        double added;
        if (reading.Text("mode") == "gross")
        {
            using var zonesOnly = new AreaScope(z.Geometry, Area);
            added = TransferMatrix.Compute(a.Before, a.After, zonesOnly, Area).Changes.Single(c => c.Group == "耕地").GainM2;
        }
        else
        {
            added = after - before;
        }

        var ratio = added / before;
        var verdict = ratio >= reading.Number("minimum") ? Verdict.Pass : Verdict.Fail;
        return Result("R02", verdict, ratio, reading.Number("minimum"), Ratio, Messages.Get("PolicyR02", Mu(before), Mu(after), Mu(added), reading.Text("mode")), inputs);
    }

    private RuleResult R03()
    {
        string[] inputs = ["parcels_after", "project_area", "industrial_parks"];
        var reading = edition["R03"];
        var classes = reading.Codes("classes");
        bool Industrial(int i) => classes.Contains(a.After.Classes[i]);
        var (total, parcels) = AreaIn(a.After, project.Value, Industrial);
        if (total <= 0)
        {
            return Result("R03", Verdict.NotApplicable, null, reading.Number("minimum"), Ratio, Messages.Get("PolicyR03None"), inputs);
        }

        if (input.IndustrialParks is not { } parks)
        {
            return Missing("R03", Ratio, inputs, "industrial_parks");
        }

        using var inParks = new AreaScope(OverlayNGRobust.Overlay(parks, a.ProjectArea, SpatialFunction.Intersection), Area);
        var pieces = parcels.Select(i => (i, inParks.Clip(a.After.Geometries[i], a.After.Areas[i]).Area)).ToList();
        var inside = pieces.Sum(p => p.Area);
        var ratio = inside / total;
        var verdict = ratio >= reading.Number("minimum") ? Verdict.Pass : Verdict.Fail;
        return Result("R03", verdict, ratio, reading.Number("minimum"), Ratio, Messages.Get("PolicyR03", Mu(total), Mu(inside), Percent(ratio)), inputs,
            verdict == Verdict.Fail ? pieces.Where(p => p.Area < a.After.Areas[p.i] - 0.01).Select(p => Parcel("parcels_after", a.After.Ids[p.i])) : null);
    }

    private RuleResult R04()
    {
        string[] inputs = ["parcels_after", "project.json: pilot"];
        var minimum = AreaUnits.FromMu(edition["R04"].Number("minimum_mu"));
        var blocks = ProjectAnalysis.Blocks(a.After, i => a.After.Pbf[i], ContiguityOptions.Default, withGeometry: false);
        var largest = blocks.Count == 0 ? 0 : blocks[0].AreaM2;
        var detail = Messages.Get("PolicyR04", Mu(largest), blocks.Count == 0 ? ContiguityOptions.NoTier : blocks[0].Tier, blocks.Count);
        return input.Facts.Pilot switch
        {
            null => Missing("R04", SquareMetres, inputs, "project.json: pilot"),
            false => Result("R04", Verdict.NotApplicable, largest, minimum, SquareMetres, detail, inputs),
            true => Result("R04", largest >= minimum ? Verdict.Pass : Verdict.Fail, largest, minimum, SquareMetres, detail, inputs),
        };
    }

    private (double In, double Out)? Adjusted() => input.PbfAdjustments is { } list
        ? (list.Where(x => x.Direction == "in").Sum(x => x.AreaM2), list.Where(x => x.Direction == "out").Sum(x => x.AreaM2))
        : null;

    private RuleResult R05()
    {
        string[] inputs = ["pbf_adjustments", "parcels_before", "project_area", "project.json: provincial_approval_for_pbf_adjustment"];
        var reading = edition["R05"];
        if (Adjusted() is not { } adjusted)
        {
            return Missing("R05", Ratio, inputs, "pbf_adjustments");
        }

        var pbfBefore = AreaIn(a.Before, project.Value, i => a.Before.Pbf[i]).Area;
        if (adjusted.Out <= 0)
        {
            return Result("R05", Verdict.Pass, 0, reading.Number("pass_maximum"), Ratio, Messages.Get("PolicyR05", Mu(0), Mu(pbfBefore), Percent(0)), inputs);
        }

        if (pbfBefore <= 0)
        {
            return Missing("R05", Ratio, inputs, "parcels_before: PBF");
        }

        var ratio = adjusted.Out / pbfBefore;
        var verdict = ratio <= reading.Number("pass_maximum") ? Verdict.Pass
            : ratio <= reading.Number("warn_maximum") ? Verdict.Warn
            : input.Facts.ProvincialApprovalForPbfAdjustment switch
            {
                true => Verdict.Warn,
                false => Verdict.Fail,
                null => Verdict.InsufficientData,
            };
        var outs = input.PbfAdjustments!.Where(x => x.Direction == "out").Select(x => $"pbf_adjustments#{x.Id}");
        return Result("R05", verdict, ratio, reading.Number("pass_maximum"), Ratio, Messages.Get("PolicyR05", Mu(adjusted.Out), Mu(pbfBefore), Percent(ratio)), inputs,
            verdict is Verdict.Fail or Verdict.Warn ? outs : null);
    }

    private RuleResult R06()
    {
        string[] inputs = ["pbf_adjustments"];
        var minimum = edition["R06"].Number("minimum");
        if (Adjusted() is not { } adjusted)
        {
            return Missing("R06", Ratio, inputs, "pbf_adjustments");
        }

        if (adjusted.Out <= 0)
        {
            return Result("R06", Verdict.NotApplicable, null, minimum, Ratio, Messages.Get("PolicyR06None"), inputs);
        }

        var ratio = (adjusted.In - adjusted.Out) / adjusted.Out;
        return Result("R06", ratio >= minimum ? Verdict.Pass : Verdict.Fail, ratio, minimum, Ratio, Messages.Get("PolicyR06", Mu(adjusted.In), Mu(adjusted.Out)), inputs);
    }

    private RuleResult R07()
    {
        string[] inputs = ["pbf_adjustments", "dev_boundary"];
        var tolerance = edition["R07"].Number("tolerance_m2");
        if (input.PbfAdjustments is not { } list)
        {
            return Missing("R07", SquareMetres, inputs, "pbf_adjustments");
        }

        if (list.Count == 0)
        {
            return Result("R07", Verdict.NotApplicable, null, 0, SquareMetres, Messages.Get("PolicyR06None"), inputs);
        }

        if (a.DevelopmentBoundary is not { } boundary)
        {
            return Missing("R07", SquareMetres, inputs, "dev_boundary");
        }

        using var inside = new AreaScope(boundary, Area);
        var ins = list.Where(x => x.Direction == "in").ToList();
        var outs = list.Where(x => x.Direction == "out").ToList();
        var inInside = ins.Where(x => inside.Clip(x.Geometry, x.AreaM2).Area > tolerance).ToList();                // (a)
        var outOutside = outs.Where(x => inside.Clip(x.Geometry, x.AreaM2).Area < x.AreaM2 / 2).ToList();          // (b)
        if (list.Any(x => x.EffectiveOn is null))
        {
            return Missing("R07", SquareMetres, inputs, "pbf_adjustments: effective_on");
        }

        // (c) By date: the PBF added so far never falls behind the PBF taken out so far.
        double margin = double.PositiveInfinity, cumulative = 0;
        var shortDates = new List<string>();
        foreach (var day in list.GroupBy(x => x.EffectiveOn!.Value).OrderBy(g => g.Key))
        {
            cumulative += day.Sum(x => x.Direction == "in" ? x.AreaM2 : x.Direction == "out" ? -x.AreaM2 : 0);
            margin = Math.Min(margin, cumulative);
            if (cumulative < -tolerance)
            {
                shortDates.Add(day.Key.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            }
        }

        var verdict = inInside.Count > 0 || shortDates.Count > 0 ? Verdict.Fail : outOutside.Count > 0 ? Verdict.Warn : Verdict.Pass;
        var offenders = inInside.Concat(outOutside).Select(x => $"pbf_adjustments#{x.Id}").Concat(shortDates.Select(d => $"date#{d}"));
        return Result("R07", verdict, margin, 0, SquareMetres,
            Messages.Get("PolicyR07", ins.Count, inInside.Count, outs.Count, outOutside.Count, shortDates.Count == 0 ? "—" : string.Join("、", shortDates)),
            inputs, verdict == Verdict.Pass ? null : offenders);
    }

    private RuleResult R08()
    {
        string[] inputs = ["parcels_before", "parcels_after", "project_area", "project.json: pilot"];
        var m = matrix.Value;
        var before = m.BeforeAreas.Where(kv => LandClassGroups.IsConstruction(kv.Key)).Sum(kv => kv.Value);
        var after = m.AfterAreas.Where(kv => LandClassGroups.IsConstruction(kv.Key)).Sum(kv => kv.Value);
        var change = after - before;
        var detail = Messages.Get("PolicyR08", Mu(before), Mu(after), Mu(change));
        return input.Facts.Pilot switch
        {
            null => Missing("R08", SquareMetres, inputs, "project.json: pilot"),
            false => Result("R08", Verdict.NotApplicable, change, 0, SquareMetres, detail, inputs),
            true => Result("R08", change <= edition["R08"].Number("tolerance_m2") ? Verdict.Pass : Verdict.Fail, change, 0, SquareMetres, detail, inputs),
        };
    }

    private RuleResult R09()
    {
        string[] inputs = ["facility_land", "parcels_after", "zones"];
        var reading = edition["R09"];
        if (input.PlannedLand is not { } planned)
        {
            return Missing("R09", Ratio, inputs, "facility_land");
        }

        if (zones.Value is not { } z)
        {
            return Missing("R09", Ratio, inputs, "zones");
        }

        var plannedArea = planned.Sum(p => z.Clip(p.Geometry, Area(p.Geometry)).Area);
        if (plannedArea <= 0)
        {
            return Result("R09", Verdict.NotApplicable, null, reading.Number("maximum"), Ratio, Messages.Get("PolicyR09None"), inputs);
        }

        var minimumBlock = AreaUnits.FromMu(reading.Number("minimum_block_mu"));
        var blocks = ProjectAnalysis.Blocks(a.After, i => LandClassGroups.IsFarmland(a.After.Classes[i]), ContiguityOptions.Default, withGeometry: false);
        var contiguous = blocks.Where(b => b.AreaM2 >= minimumBlock).SelectMany(b => b.Members).Sum(m => z.Clip(a.After.Geometries[m], a.After.Areas[m]).Area);
        if (contiguous <= 0)
        {
            return Result("R09", Verdict.Fail, null, reading.Number("maximum"), Ratio, Messages.Get("PolicyR09", Mu(plannedArea), Mu(0)), inputs);
        }

        var ratio = plannedArea / contiguous;
        return Result("R09", ratio <= reading.Number("maximum") ? Verdict.Pass : Verdict.Fail, ratio, reading.Number("maximum"), Ratio,
            Messages.Get("PolicyR09", Mu(plannedArea), Mu(contiguous)), inputs);
    }

    private RuleResult R10()
    {
        string[] inputs = ["project.json: enterprise_relocations"];
        var maximum = edition["R10"].Number("maximum");
        if (input.Facts.Relocations is not { } relocations)
        {
            return Missing("R10", Ratio, inputs, "project.json: enterprise_relocations");
        }

        if (relocations.Count == 0)
        {
            return Result("R10", Verdict.NotApplicable, null, maximum, Ratio, Messages.Get("PolicyR10None"), inputs);
        }

        var ratios = relocations.Select(r => (r.Name, Ratio: r.DemolishedAreaM2 > 0 ? r.ReplacementAreaM2 / r.DemolishedAreaM2 : double.PositiveInfinity)).ToList();
        var worst = ratios.MaxBy(r => r.Ratio);
        var over = ratios.Where(r => r.Ratio > maximum + 1e-12).Select(r => r.Name).ToList();
        return Result("R10", over.Count == 0 ? Verdict.Pass : Verdict.Fail, worst.Ratio, maximum, Ratio,
            Messages.Get("PolicyR10", relocations.Count, Percent(worst.Ratio), worst.Name), inputs, over);
    }

    private RuleResult R11()
    {
        string[] inputs = ["parcels_before", "parcels_after", "project_area"];
        var reading = edition["R11"];
        var classes = reading.Codes("classes");
        var m = matrix.Value;
        var before = m.BeforeAreas.Where(kv => classes.Contains(kv.Key)).Sum(kv => kv.Value);
        var after = m.AfterAreas.Where(kv => classes.Contains(kv.Key)).Sum(kv => kv.Value);
        var change = after - before;
        var tolerance = reading.Number("tolerance_m2");
        var verdict = change < -tolerance ? Verdict.Pass : change <= tolerance ? Verdict.Warn : Verdict.Fail;
        return Result("R11", verdict, change, 0, SquareMetres, Messages.Get("PolicyR11", Mu(before), Mu(after), Mu(change)), inputs);
    }

    private RuleResult R12()
    {
        string[] inputs = ["parcels_before", "parcels_after", "project_area", "project.json: compensations"];
        var tolerance = edition["R12"].Number("tolerance_m2");
        var m = matrix.Value;
        double Change(Func<string, bool> group) =>
            m.AfterAreas.Where(kv => group(kv.Key)).Sum(kv => kv.Value) - m.BeforeAreas.Where(kv => group(kv.Key)).Sum(kv => kv.Value);
        var water = Change(LandClassGroups.IsWater);
        var forest = Change(LandClassGroups.IsForest);
        var compensations = input.Facts.Compensations;
        double Compensated(string c) => compensations?.Where(x => x.Class == c).Sum(x => x.AreaM2) ?? 0;
        var detail = Messages.Get("PolicyR12", Mu(water), Mu(forest), Mu(Compensated("water")), Mu(Compensated("forest")));
        var short_ = new List<string>();
        foreach (var (name, change) in new[] { ("water", water), ("forest", forest) })
        {
            if (change < -tolerance && change + Compensated(name) < -tolerance)
            {
                short_.Add(name);
            }
        }

        var balance = Math.Min(water + Compensated("water"), forest + Compensated("forest"));
        if (short_.Count > 0 && compensations is null)
        {
            return Result("R12", Verdict.InsufficientData, balance, 0, SquareMetres, Messages.Get("PolicyMissing", "project.json: compensations") + "；" + detail, inputs, short_);
        }

        return Result("R12", short_.Count == 0 ? Verdict.Pass : Verdict.Fail, balance, 0, SquareMetres, detail, inputs, short_);
    }

    /// <summary>园地, 林地, 草地 and 其他农用地 (rules.md's groups), the classes that trade places with farmland under R13.</summary>
    private static bool Exchangeable(string code) =>
        code.StartsWith("02", StringComparison.Ordinal) || code.StartsWith("03", StringComparison.Ordinal) || code.StartsWith("04", StringComparison.Ordinal)
        || LandClassGroups.BaseCode(code) is "1006" or "1104" or "1107" or "1202" or "1203";

    private RuleResult R13()
    {
        string[] inputs = ["parcels_before", "parcels_after", "project_area"];
        var cells = matrix.Value.Cells;
        var toFarmland = cells.Where(c => Exchangeable(c.From) && LandClassGroups.IsFarmland(c.To)).Sum(c => c.AreaM2);
        var fromFarmland = cells.Where(c => LandClassGroups.IsFarmland(c.From) && Exchangeable(c.To)).Sum(c => c.AreaM2);
        var balance = toFarmland - fromFarmland;
        return Result("R13", balance >= 0 ? Verdict.Pass : Verdict.Fail, balance, 0, SquareMetres, Messages.Get("PolicyR13", Mu(toFarmland), Mu(fromFarmland)), inputs);
    }

    private RuleResult R14()
    {
        string[] inputs = ["townships (or parcels_before: ZLDWDM)", "project_area", "project.json: pilot"];
        var reading = edition["R14"];
        var projectArea = Area(a.ProjectArea);
        Dictionary<string, double> shares;
        if (input.Townships is { Count: > 0 } townships)
        {
            shares = townships.GroupBy(t => string.IsNullOrEmpty(t.Name) ? t.Code : $"{t.Code} {t.Name}")
                .ToDictionary(g => g.Key, g => g.Sum(t => project.Value.Clip(t.Geometry, Area(t.Geometry)).Area));
        }
        else if (a.Before.Locations.Any(l => l is { Length: >= 9 }))
        {
            shares = new();
            for (var i = 0; i < a.Before.Count; i++)
            {
                if (a.Before.Locations[i] is { Length: >= 9 } code)
                {
                    shares[code[..9]] = shares.GetValueOrDefault(code[..9]) + project.Value.Clip(a.Before.Geometries[i], a.Before.Areas[i]).Area;
                }
            }
        }
        else
        {
            return Missing("R14", Count, inputs, "townships / ZLDWDM");
        }

        var counted = shares.Where(kv => kv.Value >= reading.Number("minimum_share") * projectArea).Select(kv => kv.Key).Order(StringComparer.Ordinal).ToList();
        var minimum = reading.Number("minimum_townships");
        var detail = Messages.Get("PolicyR14", counted.Count, string.Join("、", counted));
        return input.Facts.Pilot switch
        {
            null => Missing("R14", Count, inputs, "project.json: pilot"),
            false => Result("R14", Verdict.NotApplicable, counted.Count, minimum, Count, detail, inputs),
            true => Result("R14", counted.Count >= minimum ? Verdict.Pass : Verdict.Fail, counted.Count, minimum, Count, detail, inputs),
        };
    }

    private RuleResult R15()
    {
        string[] inputs = ["eco_redline", "parcels_before", "parcels_after"];
        if (a.EcoRedLine is not { } redLine)
        {
            return Missing("R15", SquareMetres, inputs, "eco_redline");
        }

        using var scope = new AreaScope(redLine, Area);
        var m = TransferMatrix.Compute(a.Before, a.After, scope, Area);
        static bool Into(string from, string to, Func<string, bool> group) => !group(from) && group(to);
        var changed = m.Cells.Where(c => Into(c.From, c.To, LandClassGroups.IsFarmland) || Into(c.From, c.To, LandClassGroups.IsConstruction)).Sum(c => c.AreaM2);
        var verdict = changed <= edition["R15"].Number("tolerance_m2") ? Verdict.Pass : Verdict.Fail;
        IEnumerable<string>? offenders = null;
        if (verdict == Verdict.Fail)
        {
            // The after parcels of farmland or construction land inside the red line whose ground was something else.
            offenders = Enumerable.Range(0, a.After.Count)
                .Where(i => (LandClassGroups.IsFarmland(a.After.Classes[i]) || LandClassGroups.IsConstruction(a.After.Classes[i])) && scope.Clip(a.After.Geometries[i], a.After.Areas[i]).Area > 0)
                .Where(i => Enumerable.Range(0, a.Before.Count).Any(j =>
                    a.Before.Geometries[j].EnvelopeInternal.Intersects(a.After.Geometries[i].EnvelopeInternal)
                    && Into(a.Before.Classes[j], a.After.Classes[i], LandClassGroups.IsFarmland(a.After.Classes[i]) ? LandClassGroups.IsFarmland : LandClassGroups.IsConstruction)
                    && a.Before.Geometries[j].Relate(a.After.Geometries[i], "2********")))
                .Select(i => Parcel("parcels_after", a.After.Ids[i]));
        }

        return Result("R15", verdict, changed, 0, SquareMetres, Messages.Get("PolicyR15", changed.ToString("#,0.00", CultureInfo.InvariantCulture)), inputs, offenders);
    }

    private RuleResult R16()
    {
        string[] inputs = ["project.json: approved_on", "project.json: planned_completion"];
        var (approved, completion) = (input.Facts.ApprovedOn, input.Facts.PlannedCompletion);
        if (approved is null || completion is null)
        {
            return Missing("R16", Date, inputs, approved is null ? "project.json: approved_on" : "project.json: planned_completion");
        }

        bool InForce(DateOnly d) => d >= edition.InForceFrom && d <= edition.InForceTo;
        var outside = new[] { ("approved_on", approved.Value), ("planned_completion", completion.Value) }.Where(d => !InForce(d.Item2)).Select(d => d.Item1).ToList();
        return Result("R16", outside.Count == 0 ? Verdict.Pass : Verdict.Warn, null, null, Date,
            Messages.Get("PolicyR16", Day(approved.Value), Day(completion.Value), Day(edition.InForceFrom), Day(edition.InForceTo)), inputs, outside);

        static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
    }
}
