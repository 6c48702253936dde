namespace Fuchun.Domain.LandClasses;

/// <summary>
/// A land class of the Third National Land Survey (三调) working classification, as in <c>land-classes.csv</c>.
/// </summary>
/// <param name="Code">The DLBM code, for example <c>0101</c> or <c>0201K</c>.</param>
/// <param name="Name">The Chinese name (地类名称).</param>
/// <param name="Group">The class group (一级类), for example 耕地.</param>
/// <param name="ThreeCategory">农用地, 建设用地 or 未利用地 (三大类).</param>
/// <param name="IsFarmland">0101, 0102, 0103.</param>
/// <param name="IsConnector">Linear classes that do not break contiguity: 1006, 1107, 1203 (rules.md, R04).</param>
/// <param name="IsAdjustable">K-suffixed 可调整地类: former farmland, not farmland, reported apart.</param>
public sealed record LandClass(
    string Code, string Name, string Group, string ThreeCategory, bool IsFarmland, bool IsConnector, bool IsAdjustable);

/// <summary>The 三调 land class table. An unknown code is an input error, never a silent "other".</summary>
public static class LandClassCatalog
{
    private static readonly Lazy<IReadOnlyDictionary<string, LandClass>> LazyClasses = new(Load);

    public static IReadOnlyDictionary<string, LandClass> All => LazyClasses.Value;

    public static bool TryGet(string code, out LandClass landClass) =>
        All.TryGetValue(code, out landClass!);

    public static LandClass Get(string code) =>
        All.TryGetValue(code, out var c) ? c : throw new KeyNotFoundException($"unknown land class code {code}");

    private static Dictionary<string, LandClass> Load()
    {
        var result = new Dictionary<string, LandClass>(StringComparer.Ordinal);
        using var reader = new StringReader(Reference.HangzhouReferenceData.ReadResource("land-classes.csv"));
        _ = reader.ReadLine();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var c = line.Split(',');
            result[c[0]] = new LandClass(c[0], c[1], c[2], c[3], c[4] == "1", c[5] == "1", c[6] == "1");
        }

        return result;
    }
}
