namespace Fuchun.Domain.Policy;

/// <summary>What a check says about a rule (<c>rules.md</c>).</summary>
public enum Verdict
{
    Pass,
    Warn,
    Fail,

    /// <summary>The rule does not concern this project.</summary>
    NotApplicable,

    /// <summary>An input the rule needs is missing: never a pass.</summary>
    InsufficientData,
}

/// <summary>The contract's names of verdicts and units.</summary>
public static class PolicyNames
{
    public static string Name(this Verdict verdict) => verdict switch
    {
        Verdict.Pass => "pass",
        Verdict.Warn => "warn",
        Verdict.Fail => "fail",
        Verdict.NotApplicable => "not_applicable",
        _ => "insufficient_data",
    };
}

/// <summary>
/// One rule's result: the verdict, the measured value against the threshold (ratios as fractions, areas in m²),
/// the inputs used, the paragraph and reading applied, a sentence a reviewer can redo by hand, and what causes a
/// <c>fail</c> or <c>warn</c> (parcels, enterprises, classes, adjustments).
/// </summary>
public sealed record RuleResult(
    string Id, Verdict Verdict, double? Value, double? Threshold, string Unit, string Detail,
    IReadOnlyList<string> Inputs, RuleReading Reading, IReadOnlyList<string> Offenders);
