namespace Fuchun.Domain.LandClasses;

/// <summary>
/// The class groups that the policy's rules speak of (<c>rules.md</c>, "Groups used below"). A code with a suffix
/// (<c>0201K</c>, <c>1104A</c>, <c>05H1</c>) belongs to the group of its base code; K-suffixed 可调整地类 are not
/// farmland and are reported apart.
/// </summary>
public static class LandClassGroups
{
    /// <summary>The four-character base code of a 三调 code (<c>1104A</c> → <c>1104</c>, <c>05H1</c> → <c>05H1</c>).</summary>
    public static string BaseCode(string code) => code.Length > 4 ? code[..4] : code;

    /// <summary>耕地: 0101 水田, 0102 水浇地, 0103 旱地.</summary>
    public static bool IsFarmland(string code) => LandClassCatalog.TryGet(code, out var c) && c.IsFarmland;

    /// <summary>建设用地 of the 三大类 (column <c>three_category</c> of <c>land-classes.csv</c>).</summary>
    public static bool IsConstruction(string code) => LandClassCatalog.TryGet(code, out var c) && c.ThreeCategory == "建设用地";

    /// <summary>林地: 03xx.</summary>
    public static bool IsForest(string code) => code.StartsWith("03", StringComparison.Ordinal);

    /// <summary>水域: 1101–1108 and 1110 (1109 水工建筑用地 is construction land).</summary>
    public static bool IsWater(string code) =>
        BaseCode(code) is "1101" or "1102" or "1103" or "1104" or "1105" or "1106" or "1107" or "1108" or "1110";

    /// <summary>可调整地类 (K suffix).</summary>
    public static bool IsAdjustable(string code) => LandClassCatalog.TryGet(code, out var c) && c.IsAdjustable;

    /// <summary>The group (一级类) of a code, 可调整地类 included in its base code's group.</summary>
    public static string Group(string code) => LandClassCatalog.TryGet(code, out var c) ? c.Group : "";

    /// <summary>农用地, 建设用地 or 未利用地.</summary>
    public static string ThreeCategory(string code) => LandClassCatalog.TryGet(code, out var c) ? c.ThreeCategory : "";
}
