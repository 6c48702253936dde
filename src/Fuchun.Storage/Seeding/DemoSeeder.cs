using Fuchun.Domain.Demo;
using Fuchun.Domain.Layers;
using Fuchun.Domain.Reference;
using Fuchun.Storage.Layers;
using Fuchun.Storage.Projects;
using Fuchun.Domain.Planning;
using Fuchun.Domain.Projects;
using Microsoft.EntityFrameworkCore;

namespace Fuchun.Storage.Seeding;

/// <summary>
/// Fills an empty database with Hangzhou's districts and townships and, optionally, the demo projects, taking
/// each project through the registry (so its history shows how it got to its stage) and writing its layers.
/// All in one transaction: a failed seed leaves the database empty.
/// </summary>
public sealed class DemoSeeder(FuchunDbContext db, ProjectRegistry registry, ILayerStore layers, Planning.PlanService plans)
{
    /// <summary>The actor recorded for seeded changes.</summary>
    public const string Actor = "system:demo";

    /// <summary>Seeds when the database holds no districts yet; returns whether it did.</summary>
    public async Task<bool> SeedIfEmptyAsync(bool withProjects, int seed = DemoCatalog.DefaultSeed, CancellationToken cancellationToken = default)
    {
        if (await db.Districts.AnyAsync(cancellationToken))
        {
            return false;
        }

        var city = withProjects
            ? DemoCatalog.Build(seed)
            : new DemoCity(HangzhouReferenceData.CreateDistricts(), DemoCatalog.BuildTownships(seed), []);
        await db.InTransactionAsync(async () =>
        {
            db.Districts.AddRange(city.Districts);
            db.Townships.AddRange(city.Townships);
            await db.SaveChangesAsync(cancellationToken);
            foreach (var demo in city.Projects)
            {
                await SeedProjectAsync(demo, cancellationToken);
            }

            if (city.Projects.Count > 0)
            {
                await SeedPlansAsync(city.Projects, cancellationToken);
            }

            return true;
        }, cancellationToken);
        db.ChangeTracker.Clear();
        return true;
    }

    private async Task SeedProjectAsync(DemoProject demo, CancellationToken cancellationToken)
    {
        var code = demo.Details.Code;
        var project = await registry.CreateAsync(demo.Details, Actor, new ProjectGeometry(demo.ProjectArea, demo.Zones), cancellationToken);
        while (project.Stage < demo.Stage)
        {
            project = await registry.RegisterStageAsync(code, project.Stage + 1, Actor, cancellationToken);
        }

        foreach (var (kind, parcels) in demo.ParcelLayers)
        {
            await layers.ReplaceLayerAsync(project.Id, kind, LayerName(kind), [.. parcels], [], cancellationToken);
        }

        foreach (var (kind, features) in demo.ReferenceLayers)
        {
            await layers.ReplaceLayerAsync(project.Id, kind, LayerName(kind), [], [.. features], cancellationToken);
        }
    }

    /// <summary>
    /// The plans the demo's projects stand in (paragraph (七)): the city's outline and each district's plan, approved;
    /// for every year in which demo projects were approved (立项, the year in their code), the district's approved
    /// annual plan listing them; and this year's plans of the districts with projects still in survey, submitted to
    /// the leading group and not yet approved — so that those projects' 立项 waits for that approval.
    /// </summary>
    private async Task SeedPlansAsync(IReadOnlyList<DemoProject> projects, CancellationToken cancellationToken)
    {
        var system = Domain.Governance.Actor.Operator(Actor);
        const string Outline = "HZ-GY-2023";
        await ApprovedAsync(new(Outline, PlanLevel.CityOutline, "杭州市土地综合整治规划纲要（2023—2027年）", null, null, 2023, 2027, []));
        foreach (var district in projects.GroupBy(p => p.Details.DistrictCode).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var name = Domain.Reference.HangzhouReferenceData.FindDistrict(district.Key)!.Name;
            var districtPlan = $"{district.Key}-GH-2023";
            await ApprovedAsync(new(districtPlan, PlanLevel.District, $"{name}土地综合整治规划（2023—2027年）", district.Key, Outline, 2023, 2027, []));
            foreach (var year in district.Where(p => p.Stage >= ProjectStage.Approval).GroupBy(p => int.Parse(p.Details.Code.Split('-')[1], System.Globalization.CultureInfo.InvariantCulture)).OrderBy(g => g.Key))
            {
                await ApprovedAsync(new($"{district.Key}-ND-{year.Key}", PlanLevel.Annual, $"{name}{year.Key}年度土地综合整治实施计划", district.Key, districtPlan, year.Key, year.Key,
                    [.. year.Select(p => p.Details.Code)]));
            }
        }

        // This year's plans of the districts with projects in survey: submitted, awaiting the leading group.
        var thisYear = PlanRules.YearOf(DateTimeOffset.UtcNow);
        foreach (var district in projects.Where(p => p.Stage == ProjectStage.SurveyEvaluation).GroupBy(p => p.Details.DistrictCode).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var code = $"{district.Key}-ND-{thisYear}";
            if (!await db.Plans.AnyAsync(p => p.Code == code, cancellationToken))
            {
                var name = Domain.Reference.HangzhouReferenceData.FindDistrict(district.Key)!.Name;
                await plans.CreateAsync(new(code, PlanLevel.Annual, $"{name}{thisYear}年度土地综合整治实施计划", district.Key, $"{district.Key}-GH-2023", thisYear, thisYear,
                    [.. district.Select(p => p.Details.Code)]), system, cancellationToken);
                await plans.SubmitAsync(code, system, cancellationToken);
            }
        }

        async Task ApprovedAsync(PlanDraft draft)
        {
            await plans.CreateAsync(draft, system, cancellationToken);
            await plans.SubmitAsync(draft.Code, system, cancellationToken);
            await plans.ApproveAsync(draft.Code, system, cancellationToken);
        }
    }

    private static string LayerName(LayerKind kind) => Packages.PackageImporter.Name(kind);
}
