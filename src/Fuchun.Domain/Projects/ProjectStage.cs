namespace Fuchun.Domain.Projects;

/// <summary>
/// The lifecycle stages of a consolidation project, in order (rules.md, "Who does what"; paragraphs (七)(八)).
/// </summary>
public enum ProjectStage
{
    /// <summary>储备: in the reserve, not yet surveyed.</summary>
    Reserve = 0,

    /// <summary>调查评价: survey and evaluation.</summary>
    SurveyEvaluation = 1,

    /// <summary>立项: approved as a project.</summary>
    Approval = 2,

    /// <summary>实施方案审查: the implementation plan under city review.</summary>
    PlanReview = 3,

    /// <summary>实施: under implementation.</summary>
    Implementation = 4,

    /// <summary>区县验收: district acceptance.</summary>
    DistrictAcceptance = 5,

    /// <summary>市级整体验收: city overall acceptance.</summary>
    CityAcceptance = 6,

    /// <summary>后期管护: long-term maintenance.</summary>
    Maintenance = 7,
}
