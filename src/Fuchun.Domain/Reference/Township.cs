using NetTopologySuite.Geometries;

namespace Fuchun.Domain.Reference;

/// <summary>
/// A township or sub-district (乡镇 / 街道), identified by its 9-digit code whose first six digits are its district.
/// </summary>
public sealed class Township
{
    public Township(string code, string name, string districtCode, MultiPolygon? shape, bool shapeIsSynthetic)
    {
        Code = code;
        Name = name;
        DistrictCode = districtCode;
        Shape = shape;
        ShapeIsSynthetic = shapeIsSynthetic;
    }

    private Township()
    {
        Code = Name = DistrictCode = "";
    }

    public int Id { get; private set; }

    /// <summary>9-digit township code, for example 330111001.</summary>
    public string Code { get; private set; }

    public string Name { get; private set; }

    public string DistrictCode { get; private set; }

    /// <summary>The township's extent (CGCS2000), when known.</summary>
    public MultiPolygon? Shape { get; private set; }

    /// <summary>
    /// True when <see cref="Shape"/> was generated (the demo's Voronoi partition of the district) rather than
    /// surveyed: such shapes must not be used for official statistics.
    /// </summary>
    public bool ShapeIsSynthetic { get; private set; }
}
