using System.Text.Json;
using Fuchun.Domain.Governance;
using Fuchun.Domain.Layers;
using Fuchun.Domain.Projects;

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
public sealed record PolicyEdition(
    string Id, string Title, DateOnly InForceFrom, DateOnly InForceTo, IReadOnlyDictionary<string, RuleReading> Rules,
    IReadOnlyList<LifecycleGate> Gates, IReadOnlyList<RequiredDocument> StageDocuments)
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

    /// <summary>The gate a move from <paramref name="from"/> to <paramref name="to"/> must pass, if any.</summary>
    public LifecycleGate? GateFor(ProjectStage from, ProjectStage to) => Gates.FirstOrDefault(g => g.From == from && g.To == to);

    /// <summary>The documents a move from <paramref name="from"/> to <paramref name="to"/> needs filed first.</summary>
    public IReadOnlyList<RequiredDocument> DocumentsFor(ProjectStage from, ProjectStage to) => [.. StageDocuments.Where(d => d.From == from && d.To == to)];

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
            rules,
            root.TryGetProperty("gates", out var gates)
                ? [.. gates.EnumerateObject().Select(g => new LifecycleGate(
                    g.Name, g.Value.GetProperty("name").GetString()!,
                    Enum.Parse<ProjectStage>(g.Value.GetProperty("from").GetString()!),
                    Enum.Parse<ProjectStage>(g.Value.GetProperty("to").GetString()!),
                    LayerKinds.FromPackageName(g.Value.GetProperty("layer").GetString())
                        ?? throw new InvalidOperationException($"gate {g.Name}: unknown layer"),
                    g.Value.GetProperty("basis").GetString()!,
                    [.. g.Value.GetProperty("waiver_roles").EnumerateArray().Select(r => Roles.FromName(r.GetString())
                        ?? throw new InvalidOperationException($"gate {g.Name}: unknown role {r.GetString()}"))]))]
                : [],
            root.TryGetProperty("stage_documents", out var documents)
                ? [.. documents.EnumerateArray().Select(d => new RequiredDocument(
                    Enum.Parse<ProjectStage>(d.GetProperty("from").GetString()!),
                    Enum.Parse<ProjectStage>(d.GetProperty("to").GetString()!),
                    d.GetProperty("kind").GetString() is { } kind && DocumentKinds.Names.ContainsKey(kind) ? kind
                        : throw new InvalidOperationException($"stage document: unknown kind {d.GetProperty("kind").GetString()}"),
                    d.GetProperty("basis").GetString()!))]
                : []);
    }
}

/// <summary>
/// A gate of the lifecycle (rules.md, "Who does what"): leaving stage <see cref="From"/> for <see cref="To"/> needs every
/// rule checked on the before layer and <see cref="Layer"/> (planned, or as built) to be free of <c>fail</c>, unless a
/// role in <see cref="WaiverRoles"/> records a waiver with a reason.
/// </summary>
public sealed record LifecycleGate(string Id, string Name, ProjectStage From, ProjectStage To, LayerKind Layer, string Basis, IReadOnlyList<Role> WaiverRoles);

/// <summary>A document a lifecycle move needs filed first (the policy edition's <c>stage_documents</c>).</summary>
public sealed record RequiredDocument(ProjectStage From, ProjectStage To, string Kind, string Basis)
{
    public string Name => DocumentKinds.Names[Kind];
}
