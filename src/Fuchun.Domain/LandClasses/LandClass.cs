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
    private static readonly Lazy<Dictionary<string, LandClass>> LazyClasses = new(Load);
    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789ABCDEFabcdef");

    public static IReadOnlyDictionary<string, LandClass> All => LazyClasses.Value;

    public static bool TryGet(string code, out LandClass landClass) =>
        All.TryGetValue(code, out landClass!);

    /// <summary>
    /// <see cref="TryGet(string, out LandClass)"/> for a code still in a buffer: a reader that finds the class takes
    /// its <see cref="LandClass.Code"/> instead of making a string of the code for every record it reads.
    /// </summary>
    public static bool TryGet(ReadOnlySpan<char> code, out LandClass landClass) =>
        LazyClasses.Value.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(code, out landClass!);

    public static LandClass Get(string code) =>
        All.TryGetValue(code, out var c) ? c : throw new KeyNotFoundException($"unknown land class code {code}");

    private static Dictionary<string, LandClass> Load()
    {
        var colours = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var c in Rows("land-class-colours.csv"))
        {
            if (c.Length < 2 || c[1].Length != 7 || c[1][0] != '#' || c[1].AsSpan(1).ContainsAnyExcept(HexDigits))
            {
                throw new InvalidDataException($"land-class-colours.csv: malformed row '{string.Join(',', c)}'");
            }

            colours[c[0]] = c[1];
        }

        var result = new Dictionary<string, LandClass>(StringComparer.Ordinal);
        foreach (var c in Rows("land-classes.csv"))
        {
            var landClass = new LandClass(c[0], c[1], c[2], c[3], c[4] == "1", c[5] == "1", c[6] == "1");
            // A K class is drawn in its base class's colour; a class the colour table lacks is a build error.
            var baseCode = landClass.IsAdjustable ? landClass.Code[..^1] : landClass.Code;
            result[landClass.Code] = landClass with
            {
                Colour = colours.TryGetValue(baseCode, out var colour)
                    ? colour
                    : throw new InvalidDataException($"land-class-colours.csv has no colour for land class {baseCode}"),
            };
        }

        return result;
    }

    /// <summary>The rows of an embedded CSV file after its header, split at commas (the files hold no quoted commas).</summary>
    private static IEnumerable<string[]> Rows(string resource)
    {
        using var reader = new StringReader(Reference.HangzhouReferenceData.ReadResource(resource));
        _ = reader.ReadLine();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                yield return line.Split(',');
            }
        }
    }
}
