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
    string Code, string Name, string Group, string ThreeCategory, bool IsFarmland, bool IsConnector, bool IsAdjustable)
{
    /// <summary>
    /// The class's fill on the 三调 land-use map (土地利用现状图), <c>#RRGGBB</c>, from <c>land-class-colours.csv</c>;
    /// a 可调整 (K) class is drawn in its base class's colour.
    /// </summary>
    public string Colour { get; init; } = "";
}

/// <summary>The 三调 land class table. An unknown code is an input error, never a silent "other".</summary>
public static class LandClassCatalog
{
    private static readonly Lazy<IReadOnlyDictionary<string, LandClass>> LazyClasses = new(Load);
    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789ABCDEFabcdef");

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

        var colours = LoadColours();
        foreach (var (code, landClass) in result)
        {
            var baseCode = landClass.IsAdjustable ? code[..^1] : code;
            result[code] = landClass with
            {
                Colour = colours.TryGetValue(baseCode, out var colour)
                    ? colour
                    : throw new InvalidDataException($"land-class-colours.csv has no colour for land class {baseCode}"),
            };
        }

        return result;
    }

    /// <summary>Reads <c>code,colour,sources</c> rows; a malformed colour or a code the table lacks is a build error.</summary>
    private static Dictionary<string, string> LoadColours()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        using var reader = new StringReader(Reference.HangzhouReferenceData.ReadResource("land-class-colours.csv"));
        _ = reader.ReadLine();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var c = line.Split(',');
            if (c.Length < 2 || c[1].Length != 7 || c[1][0] != '#' || c[1].AsSpan(1).ContainsAnyExcept(HexDigits))
            {
                throw new InvalidDataException($"land-class-colours.csv: malformed row '{line}'");
            }

            result[c[0]] = c[1];
        }

        return result;
    }
}
