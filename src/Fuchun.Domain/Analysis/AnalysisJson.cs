using System.Text.Json.Nodes;
using Fuchun.Domain.LandClasses;
using Fuchun.Spatial.Area;

namespace Fuchun.Domain.Analysis;

/// <summary>
/// An analysis as JSON: first the members the CLI contract fixes (<c>project</c>, <c>areas_m2</c>,
/// <c>transfer_m2</c>, <c>blocks</c>; <c>project-package.md</c>), then everything else the analysis found. Areas in
/// m²; land class keys are the codes as given; blocks largest first.
/// </summary>
public static class AnalysisJson
{
    public static JsonObject Write(AnalysisResult result, bool withParcelIds = false)
    {
        ArgumentNullException.ThrowIfNull(result);
        var account = result.ProjectAccount;
        return new JsonObject
        {
            ["project"] = result.Project,
            ["areas_m2"] = new JsonObject
            {
                ["before"] = ByClass(account.Before),
                ["after"] = ByClass(account.After),
            },
            ["transfer_m2"] = new JsonArray([.. result.Transfer.Cells.Select(c => (JsonNode)new JsonObject
            {
                ["from"] = c.From,
                ["to"] = c.To,
                ["area_m2"] = Round(c.AreaM2),
            })]),
            ["blocks"] = new JsonObject([.. new[] { ProjectAnalysis.PbfBefore, ProjectAnalysis.PbfAfter, ProjectAnalysis.FarmlandBefore, ProjectAnalysis.FarmlandAfter }
                .Select(set => KeyValuePair.Create(set, (JsonNode?)new JsonArray([.. result.Blocks[set].Select(b => (JsonNode)Block(b, withParcelIds))])))]),
            ["project_area_m2"] = Round(account.ScopeAreaM2),
            ["accounts"] = new JsonArray([.. new[] { account }.Concat(result.ZoneAccounts).Select(a => (JsonNode)WriteAccount(a))]),
            ["changes_m2"] = new JsonArray([.. result.Transfer.Changes.Select(c => (JsonNode)new JsonObject
            {
                ["group"] = c.Group,
                ["gain"] = Round(c.GainM2),
                ["loss"] = Round(c.LossM2),
                ["net"] = Round(c.NetM2),
            })]),
            ["uncovered_m2"] = new JsonObject
            {
                ["before"] = new JsonObject([.. result.Transfer.UncoveredBefore.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)Round(kv.Value)))]),
                ["after"] = new JsonObject([.. result.Transfer.UncoveredAfter.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)Round(kv.Value)))]),
            },
            ["pbf_findings"] = new JsonArray([.. result.PbfFindings.Select(f => (JsonNode)new JsonObject
            {
                ["layer"] = f.Layer,
                ["kind"] = f.Kind switch { PbfFindingKind.Enclave => "enclave", PbfFindingKind.Fragment => "fragment", _ => "redline" },
                ["parcels"] = new JsonArray([.. f.ParcelIds.Select(id => (JsonNode)id)]),
                ["area_m2"] = Round(f.AreaM2),
                ["inside_m2"] = Round(f.InsideM2),
            })]),
            ["fragmentation"] = new JsonObject
            {
                ["before"] = Fragmentation(result.FragmentationBefore),
                ["after"] = Fragmentation(result.FragmentationAfter),
            },
            ["reading"] = new JsonObject
            {
                ["tiers_mu"] = new JsonObject([.. result.Contiguity.Tiers.Select(t => KeyValuePair.Create(t.Name, (JsonNode?)t.MinimumMu))]),
                ["connectors"] = new JsonArray([.. (result.Contiguity.ConnectorClasses ?? LandClassCatalog.All.Values.Where(c => c.IsConnector).Select(c => c.Code).ToHashSet())
                    .Order(StringComparer.Ordinal).Select(c => (JsonNode)c)]),
                ["chain_connectors"] = result.Contiguity.ChainConnectors,
                ["gap_tolerance_m"] = result.Contiguity.GapToleranceM,
            },
        };
    }

    private static double Round(double value) => Math.Round(value, 4);

    private static JsonObject ByClass(LayerAccount account) =>
        new([.. account.Classes.Select(c => KeyValuePair.Create(c.Code, (JsonNode?)Round(c.AreaM2)))]);

    private static JsonObject Block(BlockSummary b, bool withParcelIds)
    {
        var block = new JsonObject
        {
            ["area_m2"] = Round(b.AreaM2),
            ["tier"] = b.Tier,
            ["parcels"] = b.ParcelIds.Count,
            ["area_mu"] = Math.Round(AreaUnits.ToMu(b.AreaM2), 4),
        };
        if (withParcelIds)
        {
            block["parcel_ids"] = new JsonArray([.. b.ParcelIds.Select(id => (JsonNode)id)]);
        }

        return block;
    }

    /// <summary>A land-use account: per class, per group and per 三大类, before and after, in m².</summary>
    public static JsonObject WriteAccount(LandUseAccount a)
    {
        ArgumentNullException.ThrowIfNull(a);
        JsonObject Layer(LayerAccount layer) => new()
        {
            ["total_m2"] = Round(layer.TotalM2),
            ["parcels"] = layer.Parcels,
            ["classes"] = new JsonArray([.. layer.Classes.Select(c => (JsonNode)new JsonObject
            {
                ["code"] = c.Code,
                ["name"] = c.Name,
                ["group"] = c.Group,
                ["three_category"] = c.ThreeCategory,
                ["adjustable"] = c.Adjustable,
                ["area_m2"] = Round(c.AreaM2),
                ["parcels"] = c.Parcels,
            })]),
            ["groups_m2"] = new JsonObject([.. layer.ByGroup.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)Round(kv.Value)))]),
            ["three_categories_m2"] = new JsonObject([.. layer.ByThreeCategory.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)Round(kv.Value)))]),
            ["adjustable_m2"] = Round(layer.AdjustableM2),
        };

        return new JsonObject
        {
            ["scope"] = a.Scope,
            ["name"] = a.Name,
            ["area_m2"] = Round(a.ScopeAreaM2),
            ["before"] = Layer(a.Before),
            ["after"] = Layer(a.After),
        };
    }

    private static JsonObject Fragmentation(Fragmentation f) => new()
    {
        ["farmland_m2"] = Round(f.FarmlandM2),
        ["patches"] = f.Patches,
        ["mean_patch_m2"] = Round(f.MeanPatchM2),
        ["largest_patch_m2"] = Round(f.LargestPatchM2),
        ["share_in_blocks_of_100_mu"] = Math.Round(f.ShareInBlocksOf100Mu, 6),
        ["scattered_patches_under_5_mu"] = f.ScatteredPatchesUnder5Mu,
        ["parcels_in_scattered_patches"] = f.ParcelsInScatteredPatches,
    };
}
