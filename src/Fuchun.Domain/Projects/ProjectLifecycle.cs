namespace Fuchun.Domain.Projects;

/// <summary>How a stage change relates to the lifecycle order.</summary>
public enum TransitionKind
{
    /// <summary>On to the next stage.</summary>
    Advance,

    /// <summary>Back one stage (退回), which needs a reason.</summary>
    SendBack,
}

/// <summary>
/// The one transition table of the project lifecycle: a project moves forward one stage at a time, or is
/// sent back one stage with a reason. Every stage change goes through <see cref="Classify"/>; the policy gates
/// (plan review and acceptance cannot pass with a failing rule) attach to the same table.
/// </summary>
public static class ProjectLifecycle
{
    public static IReadOnlyList<ProjectStage> Order { get; } = Enum.GetValues<ProjectStage>();

    /// <summary>The stage after <paramref name="stage"/>, or null at the last stage.</summary>
    public static ProjectStage? Next(ProjectStage stage) =>
        stage == ProjectStage.Maintenance ? null : stage + 1;

    /// <summary>The stage before <paramref name="stage"/>, or null at the first stage.</summary>
    public static ProjectStage? Previous(ProjectStage stage) =>
        stage == ProjectStage.Reserve ? null : stage - 1;

    /// <summary>
    /// True once a project has passed plan review: its planned after-layer is what the review judged, so it may no
    /// longer be replaced (the project is sent back to plan review for a new plan; acceptance brings the as-built layer).
    /// </summary>
    public static bool PlanIsFixed(ProjectStage stage) => stage > ProjectStage.PlanReview;

    /// <summary>
    /// Who decides a project's <paramref name="stage"/>, and so may move it on from there or send it back (rules.md,
    /// "Who does what"): the city bureau reviews implementation plans and does the city's overall acceptance; the
    /// district does everything else — survey and evaluation, approval (立项), implementation, district acceptance
    /// and maintenance.
    /// </summary>
    public static Governance.Role DecidedBy(ProjectStage stage) =>
        stage is ProjectStage.PlanReview or ProjectStage.CityAcceptance ? Governance.Role.CityBureau : Governance.Role.DistrictOfficer;

    /// <summary>
    /// What kind of transition <paramref name="from"/> → <paramref name="to"/> is, or null when the lifecycle
    /// does not allow it (skipping stages, staying put, going back more than one stage).
    /// </summary>
    public static TransitionKind? Classify(ProjectStage from, ProjectStage to) =>
        to == Next(from) ? TransitionKind.Advance
        : to == Previous(from) ? TransitionKind.SendBack
        : null;
}
