using System.Text.Json;
using Fuchun.Domain.Governance;
using Fuchun.Domain.Projects;
using Fuchun.Domain.Resources;
using Microsoft.EntityFrameworkCore;

namespace Fuchun.Storage.Governance;

/// <summary>
/// Keeping the audit trail for its retention period (留痕保存期限, at least 180 days; 等保 三级 asks for six months):
/// entries older than it may be removed, oldest first, and the removal is itself an entry of the chain naming the
/// last removed entry's place and hash, so that <see cref="AuditChain.Verify"/> still proves the rest whole.
/// </summary>
public sealed class AuditRetention(FuchunDbContext db, TimeProvider clock)
{
    /// <summary>The shortest retention allowed.</summary>
    public const int MinimumDays = 180;

    /// <summary>The retention when none is configured.</summary>
    public const int DefaultDays = 365;

    /// <summary>Removes the entries older than <paramref name="days"/> days; returns how many. The pruning is an entry.</summary>
    public async Task<int> PruneAsync(int days, CancellationToken cancellationToken = default)
    {
        if (days < MinimumDays)
        {
            throw new DomainValidationException([new FieldError("retentionDays", Messages.AuditRetentionTooShort(days, MinimumDays))]);
        }

        var cutoff = clock.GetUtcNow() - TimeSpan.FromDays(days);
        // The newest entry always stays, so the chain goes on from where it was (its numbering never restarts).
        var newest = await db.AuditEntries.MaxAsync(e => (long?)e.Sequence, cancellationToken) ?? 0;
        var last = await db.AuditEntries.AsNoTracking().Where(e => e.At < cutoff && e.Sequence < newest).OrderByDescending(e => e.Sequence)
            .Select(e => new { e.Sequence, e.Hash }).FirstOrDefaultAsync(cancellationToken);
        if (last is null)
        {
            return 0;
        }

        return await db.InTransactionAsync(async () =>
        {
            var removed = await db.AuditEntries.Where(e => e.Sequence <= last.Sequence).ExecuteDeleteAsync(cancellationToken);
            db.Audit(new AuditEntry(clock.GetUtcNow(), db.AuditActor, db.AuditRole, db.AuditSource, AuditChain.PrunedAction, null, null,
                JsonSerializer.Serialize(new { through = last.Sequence, lastHash = last.Hash, removed, before = cutoff, retentionDays = days })));
            await db.SaveChangesAsync(cancellationToken);
            return removed;
        }, cancellationToken);
    }
}
