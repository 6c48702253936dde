using Fuchun.Domain.LandClasses;

namespace Fuchun.Domain.Analysis;

/// <summary>The area and parcel count of one land class within a scope.</summary>
public sealed record ClassArea(string Code, double AreaM2, int Parcels)
{
    public string Name => LandClassCatalog.TryGet(Code, out var c) ? c.Name : Code;

    public string Group => LandClassGroups.Group(Code);

    public string ThreeCategory => LandClassGroups.ThreeCategory(Code);

    /// <summary>K-suffixed 可调整地类: not farmland, reported apart.</summary>
    public bool Adjustable => LandClassGroups.IsAdjustable(Code);
}

/// <summary>Area by class, by class group and by 三大类 for one layer within one scope.</summary>
public sealed record LayerAccount(IReadOnlyList<ClassArea> Classes)
{
    public double TotalM2 => Classes.Sum(c => c.AreaM2);

    public int Parcels => Classes.Sum(c => c.Parcels);

    /// <summary>Area per class group (一级类); 可调整地类 are left out here and shown by <see cref="AdjustableM2"/>.</summary>
    public IReadOnlyDictionary<string, double> ByGroup =>
        Classes.Where(c => !c.Adjustable).GroupBy(c => c.Group).ToDictionary(g => g.Key, g => g.Sum(c => c.AreaM2));

    /// <summary>Area per 三大类 (农用地, 建设用地, 未利用地), 可调整地类 included in 农用地.</summary>
    public IReadOnlyDictionary<string, double> ByThreeCategory =>
        Classes.GroupBy(c => c.ThreeCategory).ToDictionary(g => g.Key, g => g.Sum(c => c.AreaM2));

    /// <summary>可调整地类 (K suffix) in all.</summary>
    public double AdjustableM2 => Classes.Where(c => c.Adjustable).Sum(c => c.AreaM2);

    public double AreaOf(Func<string, bool> codes) => Classes.Where(c => codes(c.Code)).Sum(c => c.AreaM2);
}

/// <summary>The land-use account (地类面积统计) of a scope: the project area, or one consolidation zone.</summary>
public sealed record LandUseAccount(string Scope, string Name, double ScopeAreaM2, LayerAccount Before, LayerAccount After);

/// <summary>Adds up parcel layers by land class within scopes, cutting parcels that cross a scope's edge.</summary>
public static class LandUseAccounts
{
    public static LayerAccount Of(ParcelSet parcels, AreaScope? scope)
    {
        ArgumentNullException.ThrowIfNull(parcels);
        var pieces = new double[parcels.Count];
        Parallel.For(0, parcels.Count, i => pieces[i] = scope is null ? parcels.Areas[i] : scope.Clip(parcels.Geometries[i], parcels.Areas[i]).Area);
        var byClass = new Dictionary<string, (double Area, int Count)>(StringComparer.Ordinal);
        for (var i = 0; i < pieces.Length; i++)
        {
            if (pieces[i] > 0)
            {
                var (a, n) = byClass.GetValueOrDefault(parcels.Classes[i]);
                byClass[parcels.Classes[i]] = (a + pieces[i], n + 1);
            }
        }

        return new([.. byClass.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new ClassArea(kv.Key, kv.Value.Area, kv.Value.Count))]);
    }
}
