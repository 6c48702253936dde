using System.Text.Json;

namespace Fuchun.Domain.Policy;

/// <summary>How one rule is read in an edition: the paragraph it rests on, its words, the reading applied, its thresholds.</summary>
public sealed record RuleReading(string Id, string Paragraph, string Quote, string Reading, IReadOnlyDictionary<string, JsonElement> Parameters)
{
    public double Number(string name) => Parameters.TryGetValue(name, out var v) ? v.GetDouble()
        : throw new KeyNotFoundException($"{Id}: parameter {name} is not in the policy edition");

    public string Text(string name) => Parameters.TryGetValue(name, out var v) ? v.GetString() ?? ""
        : throw new KeyNotFoundException($"{Id}: parameter {name} is not in the policy edition");

    public IReadOnlyList<string> Codes(string name) => Parameters.TryGetValue(name, out var v) ? [.. v.EnumerateArray().Select(c => c.GetString()!)]
        : throw new KeyNotFoundException($"{Id}: parameter {name} is not in the policy edition");
}

/// <summary>
/// A versioned policy configuration: the thresholds and readings of rules R01–R16 of <c>rules.md</c>. A changed
/// threshold or a new provincial reading is a new edition (a JSON file), not a code change; every report names the
/// edition it applied.
/// </summary>
public sealed record PolicyEdition(string Id, string Title, DateOnly InForceFrom, DateOnly InForceTo, IReadOnlyDictionary<string, RuleReading> Rules)
{
    private static readonly Lazy<PolicyEdition> Current = new(() =>
    {
        using var stream = typeof(PolicyEdition).Assembly.GetManifestResourceStream("Fuchun.Policy.hz-2023-21.v1.json")
            ?? throw new InvalidOperationException("the policy edition is not embedded");
        return Parse(stream);
    });

    /// <summary>The edition in force: 杭政办函〔2023〕21号, readings of version 1.</summary>
    public static PolicyEdition Default => Current.Value;

    public RuleReading this[string id] => Rules[id];

    public static PolicyEdition Parse(Stream json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        var rules = root.GetProperty("rules").EnumerateObject().ToDictionary(
            r => r.Name,
            r => new RuleReading(r.Name, r.Value.GetProperty("paragraph").GetString()!, r.Value.GetProperty("quote").GetString()!,
                r.Value.GetProperty("reading").GetString()!,
                r.Value.GetProperty("parameters").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone())),
            StringComparer.Ordinal);
        return new(root.GetProperty("edition").GetString()!, root.GetProperty("title").GetString()!,
            DateOnly.Parse(root.GetProperty("in_force_from").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
            DateOnly.Parse(root.GetProperty("in_force_to").GetString()!, System.Globalization.CultureInfo.InvariantCulture),
            rules);
    }
}
