using Fuchun.Domain.Layers;
using Fuchun.Domain.Packages;
using Fuchun.Domain.Reference;

namespace Fuchun.Domain.Demo;

/// <summary>A demo project as a project package, as a district would hand it in.</summary>
public static class DemoPackages
{
    /// <summary>
    /// The package of <paramref name="project"/>: its registry facts and stated facts in <c>project.json</c>, its
    /// layers (the planned after-layer as <c>parcels_after</c>), and the shapes of its townships (synthetic).
    /// </summary>
    public static ProjectPackage ToPackage(DemoProject project, IReadOnlyList<Township> townships)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(townships);
        var d = project.Details;
        return new ProjectPackage(
            d.Code,
            PackageProjectJson.Build(d, project.Stage, project.StatedFactsJson),
            project.ProjectArea,
            project.Zones,
            project.ParcelLayers[LayerKind.ParcelsBefore],
            project.ParcelLayers[LayerKind.ParcelsAfter],
            project.ReferenceLayers,
            [.. townships.Where(t => d.TownshipCodes.Contains(t.Code) && t.Shape is not null)
                .Select(t => new PackageTownship(t.Code, t.Name, t.Shape!, t.ShapeIsSynthetic))]);
    }
}
