using Fuchun.Domain.Governance;
using Fuchun.Domain.Projects;
using Fuchun.Storage.Governance;
using Fuchun.Storage.Projects;
using Fuchun.Storage.Seeding;
using Fuchun.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Fuchun.Storage.Tests;

/// <summary>
/// Accounts on both backends: hashed passwords under the policy, the forced change of a handed-over password,
/// lockout after 5 failures for 15 minutes, every attempt on the audit trail, the separation of the three
/// administrators, sessions that end when the account changes, and who may move which lifecycle stage.
/// </summary>
public abstract class AccountContract : IAsyncLifetime
{
    // 09:00 in Beijing; a clock tells UTC, as the system clock does.
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 30, 1, 0, 0, TimeSpan.Zero));
    private TestDatabase? database;
    private AsyncServiceScope scope;

    protected abstract DatabaseProvider Provider { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private FuchunDbContext Db => scope.ServiceProvider.GetRequiredService<FuchunDbContext>();

    private AccountService Accounts => new(Db, clock);

    public async ValueTask InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(Provider);
        scope = database.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(withProjects: false, cancellationToken: Ct);
    }

    public async ValueTask DisposeAsync()
    {
        await scope.DisposeAsync();
        if (database is not null)
        {
            await database.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task AHandedOverPassword_SignsIn_ButMustBeChanged_ToOneThatMeetsThePolicy()
    {
        var (account, initial) = await Accounts.AddAsync("zhang.fy", "张三", [Role.DistrictOfficer], "330111", cancellationToken: Ct);
        Assert.True(initial.Length >= SignInPolicy.MinLength);
        Assert.Empty(SignInPolicy.PasswordProblems(initial, "zhang.fy"));
        // Stored as a salted slow hash, never as given.
        Assert.DoesNotContain(initial, account.PasswordHash!, StringComparison.Ordinal);
        Assert.NotEqual(account.PasswordHash, (await Accounts.AddAsync("li.fy", "李四", [Role.DistrictOfficer], "330111", cancellationToken: Ct)).Account.PasswordHash);

        var first = await Accounts.SignInAsync("zhang.fy", initial, Ct);
        Assert.Equal(SignInOutcome.SignedIn, first.Outcome);
        Assert.True(first.Account!.MustChangePassword);

        foreach (var (weak, problem) in new[] { ("Ab1!", "长度"), ("alllowercase1", "三类"), ("ZHANG.fy-2026", "用户名") })
        {
            var refused = await Assert.ThrowsAsync<DomainValidationException>(() => Accounts.ChangePasswordAsync("zhang.fy", initial, weak, Ct));
            Assert.Contains(refused.Errors, e => e.Field == "password" && e.Message.Contains(problem, StringComparison.Ordinal));
        }

        var wrongCurrent = await Assert.ThrowsAsync<DomainValidationException>(() => Accounts.ChangePasswordAsync("zhang.fy", "not-it-1A", "Fuyang-2026", Ct));
        Assert.Equal("current", Assert.Single(wrongCurrent.Errors).Field);
        Assert.Equal("password", Assert.Single((await Assert.ThrowsAsync<DomainValidationException>(() => Accounts.ChangePasswordAsync("zhang.fy", initial, initial, Ct))).Errors).Field);

        var changed = await Accounts.ChangePasswordAsync("zhang.fy", initial, "Fuyang-2026", Ct);
        Assert.False(changed.MustChangePassword);
        Assert.Equal(SignInOutcome.WrongPassword, (await Accounts.SignInAsync("zhang.fy", initial, Ct)).Outcome);
        var again = await Accounts.SignInAsync("zhang.fy", "Fuyang-2026", Ct);
        Assert.Equal(SignInOutcome.SignedIn, again.Outcome);
        Assert.False(again.Account!.MustChangePassword);
    }

    [Fact]
    public async Task FiveFailures_LockTheAccountForFifteenMinutes_AndEveryAttemptIsAudited()
    {
        var (_, initial) = await Accounts.AddAsync("wang.city", "王五", [Role.CityBureau], null, cancellationToken: Ct);
        for (var i = 1; i <= 4; i++)
        {
            Assert.Equal(SignInOutcome.WrongPassword, (await Accounts.SignInAsync("wang.city", "guess-" + i, Ct)).Outcome);
        }

        var fifth = await Accounts.SignInAsync("wang.city", "guess-5", Ct);
        Assert.Equal(SignInOutcome.LockedOut, fifth.Outcome);
        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromMinutes(15), fifth.LockedUntil);

        // Locked: even the right password is refused, until the 15 minutes are over.
        clock.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(SignInOutcome.LockedOut, (await Accounts.SignInAsync("wang.city", initial, Ct)).Outcome);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(SignInOutcome.SignedIn, (await Accounts.SignInAsync("wang.city", initial, Ct)).Outcome);

        // An unknown name fails the same way (no hint which names exist), and is recorded too.
        Assert.Equal(SignInOutcome.WrongPassword, (await Accounts.SignInAsync("nobody", "whatever-1A", Ct)).Outcome);

        var entries = await Db.AuditEntries.AsNoTracking().Where(e => e.Action.StartsWith("signin.")).OrderBy(e => e.Sequence).ToListAsync(Ct);
        Assert.Equal(
            ["signin.failed", "signin.failed", "signin.failed", "signin.failed", "signin.failed", "signin.failed", "signin.succeeded", "signin.failed"],
            entries.Select(e => e.Action));
        Assert.Contains("LockedOut", entries[4].After, StringComparison.Ordinal);
        Assert.Equal("nobody", entries[^1].Subject);
        Assert.Empty(AuditChain.Verify(await Db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync(Ct)));
    }

    [Fact]
    public async Task TheThreeAdministrators_HoldNoOtherRole_AndNobodyGrantsThemselves()
    {
        var incompatible = await Assert.ThrowsAsync<DomainValidationException>(() =>
            Accounts.AddAsync("root", "全能", [Role.SystemAdministrator, Role.SecurityAdministrator], null, cancellationToken: Ct));
        Assert.Contains("三员分立", Assert.Single(incompatible.Errors).Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<DomainValidationException>(() => Accounts.AddAsync("audit.city", "审计兼市局", [Role.AuditAdministrator, Role.CityBureau], null, cancellationToken: Ct));

        // The system administrator's account: no roles until the security administrator grants one.
        var (plain, _) = await Accounts.AddAsync("zhao.new", "赵六", [], null, requireRole: false, cancellationToken: Ct);
        Assert.Empty(plain.Roles);
        await Accounts.AddAsync("sec", "安全管理员", [Role.SecurityAdministrator], null, cancellationToken: Ct);
        Assert.Equal("townshipCode", Assert.Single((await Assert.ThrowsAsync<DomainValidationException>(() =>
            Accounts.GrantRolesAsync("zhao.new", [Role.TownshipOfficer], "330111", "sec", cancellationToken: Ct))).Errors).Field);
        var granted = await Accounts.GrantRolesAsync("zhao.new", [Role.TownshipOfficer], "330111", "sec", "330111200", Ct);
        Assert.Equal([Role.TownshipOfficer], granted.Roles);
        Assert.Equal("330111", granted.DistrictCode);
        Assert.Equal("330111200", granted.TownshipCode);
        Assert.Equal("userName", Assert.Single((await Assert.ThrowsAsync<DomainValidationException>(() =>
            Accounts.GrantRolesAsync("sec", [Role.SecurityAdministrator, Role.AuditAdministrator], null, "sec", cancellationToken: Ct))).Errors, e => e.Field == "userName").Field);
        Assert.Equal("districtCode", Assert.Single((await Assert.ThrowsAsync<DomainValidationException>(() =>
            Accounts.GrantRolesAsync("zhao.new", [Role.FieldChief], null, "sec", cancellationToken: Ct))).Errors).Field);

        var entry = await Db.AuditEntries.AsNoTracking().SingleAsync(e => e.Action == "account.roles_granted", Ct);
        Assert.Contains("township_officer", entry.After, StringComparison.Ordinal);
        Assert.Contains("[]", entry.Before, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASessionEnds_WhenItsAccountsPasswordOrRolesChange_OrItIsDisabled()
    {
        var (_, initial) = await Accounts.AddAsync("chen.fy", "陈七", [Role.DistrictOfficer], "330111", cancellationToken: Ct);
        var session = (await Accounts.SignInAsync("chen.fy", initial, Ct)).Account!;
        Assert.NotNull(await Accounts.SessionAsync("chen.fy", session.SecurityStamp, Ct));

        var renewed = await Accounts.ChangePasswordAsync("chen.fy", initial, "Chen-Fuyang-1", Ct);
        Assert.Null(await Accounts.SessionAsync("chen.fy", session.SecurityStamp, Ct));
        Assert.NotNull(await Accounts.SessionAsync("chen.fy", renewed.SecurityStamp, Ct));

        await Accounts.GrantRolesAsync("chen.fy", [Role.FieldChief], "330111", "sec", cancellationToken: Ct);
        Assert.Null(await Accounts.SessionAsync("chen.fy", renewed.SecurityStamp, Ct));

        var current = (await Accounts.SignInAsync("chen.fy", "Chen-Fuyang-1", Ct)).Account!;
        var (token, _) = await Accounts.IssueTokenAsync("chen.fy", "script", TimeSpan.FromDays(1), Ct);
        await Accounts.DisableAsync("chen.fy", Ct);
        Assert.Null(await Accounts.SessionAsync("chen.fy", current.SecurityStamp, Ct));
        Assert.Null(await Accounts.AuthenticateAsync(token, Ct));
        Assert.Equal(SignInOutcome.Disabled, (await Accounts.SignInAsync("chen.fy", "Chen-Fuyang-1", Ct)).Outcome);
    }

    [Fact]
    public async Task EachStage_IsMovedByWhoDecidesIt_ADistrictOnlyItsOwnProjects()
    {
        var registry = scope.ServiceProvider.GetRequiredService<ProjectRegistry>();
        await registry.CreateAsync(RegistryContract.Details("330111-2026-701", pilot: false), "测试", null, Ct);
        var fuyang = new Actor("富阳经办人", new HashSet<Role> { Role.DistrictOfficer }, "330111");
        var xihu = new Actor("西湖经办人", new HashSet<Role> { Role.DistrictOfficer }, "330106");
        var city = new Actor("市局", new HashSet<Role> { Role.CityBureau });
        var chief = new Actor("田长", new HashSet<Role> { Role.FieldChief }, "330111");

        Assert.Contains("区县", (await Assert.ThrowsAsync<AccessDeniedException>(() => registry.MoveStageAsync("330111-2026-701", ProjectStage.SurveyEvaluation, null, city, null, Ct))).Message, StringComparison.Ordinal);
        Assert.Contains("330106", (await Assert.ThrowsAsync<AccessDeniedException>(() => registry.MoveStageAsync("330111-2026-701", ProjectStage.SurveyEvaluation, null, xihu, null, Ct))).Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<AccessDeniedException>(() => registry.MoveStageAsync("330111-2026-701", ProjectStage.SurveyEvaluation, null, chief, null, Ct));

        await registry.MoveStageAsync("330111-2026-701", ProjectStage.SurveyEvaluation, null, fuyang, null, Ct);
        await PlanFixtures.ListForApprovalAsync(database!.Services, "330111", "330111-2026-701");
        await DocumentFixtures.FileAsync(database!.Services, "330111-2026-701", "approval_reply");
        await registry.MoveStageAsync("330111-2026-701", ProjectStage.Approval, null, fuyang, null, Ct);
        // Sending back is the decider's too.
        await Assert.ThrowsAsync<AccessDeniedException>(() => registry.MoveStageAsync("330111-2026-701", ProjectStage.SurveyEvaluation, "补充调查", city, null, Ct));
        await registry.MoveStageAsync("330111-2026-701", ProjectStage.SurveyEvaluation, "补充调查", fuyang, null, Ct);
        Db.ChangeTracker.Clear();
        Assert.Equal(ProjectStage.SurveyEvaluation, (await registry.GetAsync("330111-2026-701", Ct)).Stage);
        Assert.Equal(Role.CityBureau, ProjectLifecycle.DecidedBy(ProjectStage.PlanReview));
        Assert.Equal(Role.CityBureau, ProjectLifecycle.DecidedBy(ProjectStage.CityAcceptance));
        Assert.All(new[] { ProjectStage.Reserve, ProjectStage.SurveyEvaluation, ProjectStage.Approval, ProjectStage.Implementation, ProjectStage.DistrictAcceptance, ProjectStage.Maintenance },
            s => Assert.Equal(Role.DistrictOfficer, ProjectLifecycle.DecidedBy(s)));
    }
}

public sealed class SqliteAccountTests : AccountContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgresAccountTests : AccountContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
