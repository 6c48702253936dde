using Fuchun.Domain.Governance;
using Fuchun.Domain.Projects;
using Fuchun.Storage.Projects;
using Fuchun.Storage.Seeding;
using Fuchun.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fuchun.Storage.Tests;

/// <summary>
/// The audit trail on both backends: every registry change is an entry, chained by hash; verification finds an
/// edited, deleted or reordered entry and says where; a refused change leaves no gap; concurrent writers do not
/// fork the chain.
/// </summary>
public abstract class AuditContract : IAsyncLifetime
{
    private TestDatabase? database;

    protected abstract DatabaseProvider Provider { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(Provider);
        await using var scope = database.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(withProjects: false, cancellationToken: Ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (database is not null)
        {
            await database.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    private async Task<T> WithScopeAsync<T>(Func<FuchunDbContext, ProjectRegistry, Task<T>> work)
    {
        await using var scope = database!.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<FuchunDbContext>(), scope.ServiceProvider.GetRequiredService<ProjectRegistry>());
    }

    private Task<IReadOnlyList<AuditFinding>> VerifyAsync() => WithScopeAsync(async (db, _) =>
        AuditChain.Verify(await db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).ThenBy(e => e.Id).ToListAsync(Ct)));

    private Task<int> SqlAsync(string sql) => WithScopeAsync((db, _) => db.Database.ExecuteSqlRawAsync(sql, Ct));

    private Task<ConsolidationProject> CreateAsync(string code) => WithScopeAsync((_, registry) => registry.CreateAsync(RegistryContract.Details(code, pilot: false), "审计测试", null, Ct));

    [Fact]
    public async Task Changes_AreChainedEntries_AndTamperingIsFoundWhereItHappened()
    {
        for (var i = 1; i <= 5; i++)
        {
            await CreateAsync($"330111-2025-9{i:00}");
        }

        await WithScopeAsync((_, registry) => registry.MoveStageAsync("330111-2025-901", ProjectStage.SurveyEvaluation, "开始调查", "审计测试", Ct));
        var entries = await WithScopeAsync(async (db, _) => await db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync(Ct));
        Assert.Equal(Enumerable.Range(1, 6).Select(i => (long)i), entries.Select(e => e.Sequence));
        Assert.Equal("project.StageChanged", entries[^1].Action);
        Assert.Equal("330111-2025-901", entries[^1].Subject);
        Assert.Equal("审计测试", entries[^1].Actor);
        Assert.Contains("开始调查", entries[^1].After, StringComparison.Ordinal);
        Assert.Empty(await VerifyAsync());

        await SqlAsync("UPDATE audit_log SET actor = 'someone else' WHERE sequence = 2");
        Assert.Equal([new AuditFinding(2, AuditBreak.Edited)], await VerifyAsync());
        await SqlAsync("DELETE FROM audit_log WHERE sequence = 2");
        Assert.Equal([new AuditFinding(3, AuditBreak.Missing)], await VerifyAsync());
        // Entries 4 and 5 swapped by their place in the chain: neither gives its hash at its new place, and entry 6
        // no longer follows the entry before it.
        await SqlAsync("UPDATE audit_log SET sequence = -4 WHERE sequence = 4; UPDATE audit_log SET sequence = 4 WHERE sequence = 5; UPDATE audit_log SET sequence = 5 WHERE sequence = -4");
        Assert.Equal(
            [new AuditFinding(3, AuditBreak.Missing), new AuditFinding(4, AuditBreak.Edited), new AuditFinding(5, AuditBreak.Edited), new AuditFinding(6, AuditBreak.OutOfOrder)],
            await VerifyAsync());
    }

    [Fact]
    public async Task ARefusedChange_LeavesNoGap()
    {
        await CreateAsync("330111-2025-901");
        await Assert.ThrowsAsync<DomainValidationException>(() => CreateAsync("330111-2025-901"));
        await Assert.ThrowsAsync<DomainValidationException>(() => WithScopeAsync((_, registry) => registry.MoveStageAsync("330111-2025-901", ProjectStage.Approval, null, "a", Ct)));
        await CreateAsync("330111-2025-902");
        var sequences = await WithScopeAsync(async (db, _) => await db.AuditEntries.OrderBy(e => e.Sequence).Select(e => e.Sequence).ToListAsync(Ct));
        Assert.Equal([1L, 2L], sequences);
        Assert.Empty(await VerifyAsync());
    }

    [Fact]
    public async Task ConcurrentWriters_DoNotForkTheChain()
    {
        await Task.WhenAll(Enumerable.Range(1, 8).Select(i => Task.Run(() => CreateAsync($"330111-2026-9{i:00}"), Ct)));
        Assert.Equal(8, await WithScopeAsync((db, _) => db.AuditEntries.CountAsync(Ct)));
        Assert.Empty(await VerifyAsync());
    }

    [Fact]
    public async Task EntriesBeyondTheRetention_ArePruned_AndTheRestStillVerifies()
    {
        for (var i = 1; i <= 4; i++)
        {
            await CreateAsync($"330111-2025-8{i:00}");
        }

        // 190 days on, with a retention of 180 days: everything but the newest entry is past it.
        var later = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow.AddDays(190));
        var tooShort = await Assert.ThrowsAsync<DomainValidationException>(() => WithScopeAsync((db, _) => new Governance.AuditRetention(db, later).PruneAsync(179, Ct)));
        Assert.Contains("180", Assert.Single(tooShort.Errors).Message, StringComparison.Ordinal);
        Assert.Equal(3, await WithScopeAsync((db, _) => new Governance.AuditRetention(db, later).PruneAsync(180, Ct)));

        var entries = await WithScopeAsync(async (db, _) => await db.AuditEntries.AsNoTracking().OrderBy(e => e.Sequence).ToListAsync(Ct));
        Assert.Equal([4L, 5L], entries.Select(e => e.Sequence));
        Assert.Equal(AuditChain.PrunedAction, entries[^1].Action);
        Assert.Equal((3L, entries[0].PreviousHash), AuditChain.Pruned(entries[^1]));
        Assert.Empty(await VerifyAsync());

        // Pruned again, the entry kept as the newest goes too (it is past the retention), the first pruning stays.
        Assert.Equal(1, await WithScopeAsync((db, _) => new Governance.AuditRetention(db, later).PruneAsync(180, Ct)));
        Assert.Empty(await VerifyAsync());
        Assert.Equal(0, await WithScopeAsync((db, _) => new Governance.AuditRetention(db, later).PruneAsync(180, Ct)));
        // Deleting what the pruning kept is still found: the chain no longer starts where a pruning said it ends.
        await SqlAsync("DELETE FROM audit_log WHERE sequence = 5");
        Assert.Equal([new AuditFinding(6, AuditBreak.Missing)], await VerifyAsync());
    }
}

public sealed class SqliteAuditTests : AuditContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgresAuditTests : AuditContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
