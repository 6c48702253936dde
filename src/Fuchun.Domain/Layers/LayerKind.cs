namespace Fuchun.Domain.Layers;

/// <summary>The layers a project holds; names follow the project package (<c>project-package.md</c>).</summary>
public enum LayerKind
{
    /// <summary>parcels_before: 三调 parcels before consolidation.</summary>
    ParcelsBefore,

    /// <summary>parcels_after: parcels as planned (plan review).</summary>
    ParcelsAfter,

    /// <summary>parcels_as_built: parcels as surveyed at acceptance.</summary>
    ParcelsAsBuilt,

    /// <summary>dev_boundary: urban development boundary 城镇开发边界.</summary>
    DevelopmentBoundary,

    /// <summary>eco_redline: ecological protection red line 生态保护红线.</summary>
    EcoRedLine,

    /// <summary>industrial_parks: 开发区（园区）.</summary>
    IndustrialParks,

    /// <summary>pbf_adjustments: PBF layout adjustments 永久基本农田布局调整.</summary>
    PbfAdjustments,

    /// <summary>facility_land: planned facility / agri-tourism land.</summary>
    FacilityLand,

    /// <summary>townships: the shapes of the project's townships as its package gave them (kind = 9-digit code).</summary>
    Townships,
}

/// <summary>Names of layers in packages and the API.</summary>
public static class LayerKinds
{
    public static string PackageName(this LayerKind kind) => kind switch
    {
        LayerKind.ParcelsBefore => "parcels_before",
        LayerKind.ParcelsAfter => "parcels_after",
        LayerKind.ParcelsAsBuilt => "parcels_as_built",
        LayerKind.DevelopmentBoundary => "dev_boundary",
        LayerKind.EcoRedLine => "eco_redline",
        LayerKind.IndustrialParks => "industrial_parks",
        LayerKind.PbfAdjustments => "pbf_adjustments",
        LayerKind.FacilityLand => "facility_land",
        LayerKind.Townships => "townships",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The layer whose package name is <paramref name="name"/>, if there is one.</summary>
    public static LayerKind? FromPackageName(string? name) =>
        Enum.GetValues<LayerKind>().Select(k => (LayerKind?)k).FirstOrDefault(k => k!.Value.PackageName() == name);

    /// <summary>The parcel layer (地类图斑) whose package name is <paramref name="name"/>; null for any other name.</summary>
    public static LayerKind? ParcelKindFromPackageName(string? name) =>
        FromPackageName(name) is { } kind && kind.HoldsParcels() ? kind : null;

    /// <summary>True for layers of land parcels (地类图斑); the rest are reference polygons.</summary>
    public static bool HoldsParcels(this LayerKind kind) =>
        kind is LayerKind.ParcelsBefore or LayerKind.ParcelsAfter or LayerKind.ParcelsAsBuilt;
}
