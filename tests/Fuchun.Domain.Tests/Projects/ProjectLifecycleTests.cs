using Fuchun.Domain.Projects;

namespace Fuchun.Domain.Tests.Projects;

public sealed class ProjectLifecycleTests
{
    private static readonly DateTimeOffset Now = new(2025, 5, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Classify_NextStage_IsAdvance()
    {
        Assert.Equal(TransitionKind.Advance, ProjectLifecycle.Classify(ProjectStage.Reserve, ProjectStage.SurveyEvaluation));
        Assert.Equal(TransitionKind.Advance, ProjectLifecycle.Classify(ProjectStage.CityAcceptance, ProjectStage.Maintenance));
    }

    [Fact]
    public void Classify_PreviousStage_IsSendBack()
    {
        Assert.Equal(TransitionKind.SendBack, ProjectLifecycle.Classify(ProjectStage.PlanReview, ProjectStage.Approval));
    }

    [Theory]
    [InlineData(ProjectStage.Reserve, ProjectStage.Approval)]
    [InlineData(ProjectStage.Reserve, ProjectStage.Reserve)]
    [InlineData(ProjectStage.Implementation, ProjectStage.Approval)]
    [InlineData(ProjectStage.Maintenance, ProjectStage.Reserve)]
    public void Classify_SkippingOrStaying_IsNotAllowed(ProjectStage from, ProjectStage to)
    {
        Assert.Null(ProjectLifecycle.Classify(from, to));
    }

    [Fact]
    public void Order_FollowsRulesMd()
    {
        Assert.Equal(
            [ProjectStage.Reserve, ProjectStage.SurveyEvaluation, ProjectStage.Approval, ProjectStage.PlanReview,
             ProjectStage.Implementation, ProjectStage.DistrictAcceptance, ProjectStage.CityAcceptance, ProjectStage.Maintenance],
            ProjectLifecycle.Order);
    }

    [Fact]
    public void MoveTo_WhenSkipping_ChangesNothing()
    {
        var project = ConsolidationProject.Create(ValidDetails(), Now);

        var kind = project.MoveTo(ProjectStage.PlanReview, Now.AddDays(1));

        Assert.Null(kind);
        Assert.Equal(ProjectStage.Reserve, project.Stage);
        Assert.Equal(Now, project.UpdatedAt);
    }

    [Fact]
    public void MoveTo_WhenNext_AdvancesStage()
    {
        var project = ConsolidationProject.Create(ValidDetails(), Now);

        Assert.Equal(TransitionKind.Advance, project.MoveTo(ProjectStage.SurveyEvaluation, Now));
        Assert.Equal(ProjectStage.SurveyEvaluation, project.Stage);
    }

    internal static ProjectDetails ValidDetails() => new()
    {
        Code = "330111-2025-101",
        Name = "富阳区测试土地综合整治项目",
        DistrictCode = "330111",
        TownshipCodes = ["330111001", "330111002"],
        IsPilot = true,
    };
}
