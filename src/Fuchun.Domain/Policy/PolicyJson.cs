using System.Text.Json.Nodes;

namespace Fuchun.Domain.Policy;

/// <summary>
/// Check results as the CLI contract writes them (<c>project-package.md</c>): <c>project</c>, then <c>rules</c> with
/// <c>id</c>, <c>verdict</c>, <c>value</c>, <c>threshold</c>, <c>unit</c>, <c>detail</c> in ID order; ratios as
/// fractions, areas in m². After the contract's members: the edition, and each rule's paragraph, quote, reading,
/// inputs and offenders.
/// </summary>
public static class PolicyJson
{
    public static JsonObject Write(string project, PolicyEdition edition, IReadOnlyList<RuleResult> results)
    {
        ArgumentNullException.ThrowIfNull(edition);
        ArgumentNullException.ThrowIfNull(results);
        return new JsonObject
        {
            ["project"] = project,
            ["rules"] = new JsonArray([.. results.OrderBy(r => r.Id, StringComparer.Ordinal).Select(r => (JsonNode)new JsonObject
            {
                ["id"] = r.Id,
                ["verdict"] = r.Verdict.Name(),
                ["value"] = r.Value is { } v && double.IsFinite(v) ? Math.Round(v, 6) : null,
                ["threshold"] = r.Threshold is { } t ? Math.Round(t, 6) : null,
                ["unit"] = r.Unit,
                ["detail"] = r.Detail,
                ["paragraph"] = r.Reading.Paragraph,
                ["quote"] = r.Reading.Quote,
                ["reading"] = r.Reading.Reading,
                ["inputs"] = new JsonArray([.. r.Inputs.Select(i => (JsonNode)i)]),
                ["offenders"] = new JsonArray([.. r.Offenders.Select(o => (JsonNode)o)]),
            })]),
            ["edition"] = edition.Id,
            ["edition_title"] = edition.Title,
        };
    }
}
