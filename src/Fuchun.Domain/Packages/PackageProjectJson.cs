using System.Globalization;
using System.Text.Json.Nodes;
using Fuchun.Domain.Layers;
using Fuchun.Domain.Projects;
using Fuchun.Domain.Resources;

namespace Fuchun.Domain.Packages;

/// <summary>
/// <c>project.json</c> and the registry: which keys are the registry's fields (the contract's <c>id</c>, <c>name</c>,
/// <c>district</c>, <c>pilot</c>, <c>approved_on</c>, <c>planned_completion</c>, and the registry's own
/// <c>townships</c>, <c>planned_start</c>, <c>investment_mode</c>, <c>funding_sources</c>,
/// <c>planned_investment_wan_yuan</c>, <c>stage</c>), and the rest: the facts the package states that the
/// checks read (provincial approval, relocations, compensations) and unknown keys, kept as given.
/// </summary>
public static class PackageProjectJson
{
    private static readonly string[] RegistryKeys =
        ["id", "name", "district", "pilot", "approved_on", "planned_completion", "townships", "planned_start",
         "investment_mode", "funding_sources", "planned_investment_wan_yuan", "stage"];

    /// <summary>project.json for a project: its registry fields (a field not stated is left out) and its stated facts.</summary>
    public static JsonObject Build(ProjectDetails details, ProjectStage stage, string? statedFactsJson)
    {
        ArgumentNullException.ThrowIfNull(details);
        static JsonNode? Day(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var json = new JsonObject
        {
            ["id"] = details.Code,
            ["name"] = details.Name,
            ["district"] = details.DistrictCode,
            ["pilot"] = details.IsPilot,
            ["approved_on"] = Day(details.ApprovedOn),
            ["planned_completion"] = Day(details.PlannedCompletion),
            ["townships"] = new JsonArray([.. details.TownshipCodes.Select(c => (JsonNode)c)]),
            ["planned_start"] = Day(details.PlannedStart),
            ["stage"] = stage.ToString(),
            ["investment_mode"] = details.InvestmentMode.ToString(),
            ["funding_sources"] = new JsonArray([.. details.FundingSources.Select(f => (JsonNode)f.ToString())]),
            ["planned_investment_wan_yuan"] = details.PlannedInvestmentWanYuan,
        };
        // Keys whose value is not stated are left out: a reader then reports insufficient data, never a default.
        foreach (var key in json.Where(kv => kv.Value is null).Select(kv => kv.Key).ToList())
        {
            json.Remove(key);
        }

        if (statedFactsJson is not null && JsonNode.Parse(statedFactsJson) is JsonObject stated)
        {
            foreach (var (key, value) in stated.Where(kv => !json.ContainsKey(kv.Key)).ToList())
            {
                json[key] = value?.DeepClone();
            }
        }

        return json;
    }

    /// <summary>The keys of <paramref name="project"/> that are not registry fields, as a JSON object (null when none).</summary>
    public static string? StatedFacts(JsonObject project)
    {
        ArgumentNullException.ThrowIfNull(project);
        var stated = new JsonObject();
        foreach (var (key, value) in project.Where(kv => !RegistryKeys.Contains(kv.Key)))
        {
            stated[key] = value?.DeepClone();
        }

        return stated.Count == 0 ? null : stated.ToJsonString();
    }

    /// <summary>
    /// The registry's fields from <paramref name="project"/>; <paramref name="townships"/> stand in when it does not
    /// list its townships. Each missing or mistyped field is a problem naming the key.
    /// </summary>
    public static ProjectDetails? ToDetails(JsonObject project, IReadOnlyList<string> townships, string source, List<ImportProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(problems);
        var before = problems.Count;
        T? Value<T>(string key, Func<JsonNode, T> read, bool required = false)
        {
            if (project[key] is not { } node)
            {
                if (required)
                {
                    problems.Add(new(source, null, Messages.PackageMissingKey(key)));
                }

                return default;
            }

            try
            {
                return read(node);
            }
            catch (Exception ex) when (ex is InvalidOperationException or FormatException or ArgumentException or System.Text.Json.JsonException)
            {
                problems.Add(new(source, null, Messages.PackageBadValue(key, node.ToJsonString())));
                return default;
            }
        }

        static T Named<T>(JsonNode n) where T : struct, Enum =>
            Enum.GetNames<T>().Contains(n.GetValue<string>()) ? Enum.Parse<T>(n.GetValue<string>()) : throw new FormatException();
        static DateOnly? Day(JsonNode n) => DateOnly.ParseExact(n.GetValue<string>(), "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var details = new ProjectDetails
        {
            Code = Value("id", n => n.GetValue<string>(), true) ?? "",
            Name = Value("name", n => n.GetValue<string>(), true) ?? "",
            DistrictCode = Value("district", n => n.GetValue<string>(), true) ?? "",
            IsPilot = Value("pilot", n => n.GetValue<bool>()),
            ApprovedOn = Value("approved_on", Day),
            PlannedCompletion = Value("planned_completion", Day),
            PlannedStart = Value("planned_start", Day),
            TownshipCodes = Value<IReadOnlyList<string>>("townships", n => [.. n.AsArray().Select(t => t!.GetValue<string>())]) ?? townships,
            InvestmentMode = Value("investment_mode", n => Named<InvestmentMode>(n)),
            FundingSources = Value<IReadOnlyList<FundingSource>>("funding_sources", n => [.. n.AsArray().Select(f => Named<FundingSource>(f!))]) ?? [],
            PlannedInvestmentWanYuan = Value("planned_investment_wan_yuan", n => (decimal?)n.GetValue<decimal>()),
        };
        return problems.Count > before ? null : details;
    }
}
