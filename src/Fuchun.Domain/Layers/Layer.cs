namespace Fuchun.Domain.Layers;

/// <summary>A named layer of a project: parcels (地类图斑) or reference polygons.</summary>
public sealed class Layer
{
    public Layer(int projectId, LayerKind kind, string name, DateTimeOffset createdAt)
    {
        ProjectId = projectId;
        Kind = kind;
        Name = name;
        CreatedAt = createdAt;
    }

    private Layer()
    {
        Name = "";
    }

    public int Id { get; private set; }

    public int ProjectId { get; private set; }

    public LayerKind Kind { get; private set; }

    public string Name { get; private set; }

    public int FeatureCount { get; private set; }

    /// <summary>Sum of the features' ellipsoidal areas, m².</summary>
    public double AreaM2 { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Whether low-zoom tiles are cut from pre-built overviews (large parcel layers, see <see cref="LayerOverviews"/>).</summary>
    public bool HasOverviews { get; private set; }

    /// <summary>The lowest zoom at which the layer's tiles carry anything.</summary>
    public int TilesMinZoom => HasOverviews ? LayerOverviews.MinLevel : LayerOverviews.MaxLevel - 1;

    /// <summary>The lowest zoom at which the layer's tiles carry its parcels one by one (with their ids).</summary>
    public int ParcelTilesMinZoom => HasOverviews ? LayerOverviews.MaxLevel + 1 : LayerOverviews.MaxLevel - 1;

    public void SetTotals(int featureCount, double areaM2)
    {
        FeatureCount = featureCount;
        AreaM2 = areaM2;
    }

    public void MarkOverviewsBuilt() => HasOverviews = true;
}
