using System.Globalization;
using System.Text;
using Fuchun.Domain.Governance;
using Fuchun.Storage;
using Microsoft.EntityFrameworkCore;

namespace Fuchun.Server.Endpoints;

/// <summary>One audit entry as the audit viewer shows it.</summary>
public sealed record AuditEntryResponse(long Sequence, DateTimeOffset At, string Actor, string? Role, string Source, string Action, string? Subject, string? Before, string? After, string Hash);

/// <summary>A page of audit entries, newest first.</summary>
public sealed record AuditPageResponse(IReadOnlyList<AuditEntryResponse> Items, int Total, int Page, int PageSize);

/// <summary>
/// The audit viewer's API (留痕查询), for the audit administrator alone (三员分立): search by actor, action, subject
/// and time; export as CSV. Reading the trail is itself an audit entry.
/// </summary>
internal static class AuditEndpoints
{
    private const int MaxPageSize = 200;

    public static void MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/audit").WithTags("审计留痕");
        group.MapGet("/", ListAsync).WithName("ListAuditEntries").RequireAuthorization(Capability.ReadAudit.PolicyName())
            .WithSummary("查询审计记录（仅审计管理员）：actor、action、subject、from、to 过滤，最新在前")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
        group.MapGet("/export.csv", ExportAsync).WithName("ExportAuditEntries").RequireAuthorization(Capability.ReadAudit.PolicyName())
            .WithSummary("导出审计记录为 CSV（仅审计管理员），过滤条件同查询")
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);
    }

    private static IQueryable<AuditEntry> Filter(FuchunDbContext db, string? actor, string? action, string? subject, DateTimeOffset? from, DateTimeOffset? to)
    {
        var q = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(actor))
        {
            q = q.Where(e => e.Actor.Contains(actor));
        }

        if (!string.IsNullOrWhiteSpace(action))
        {
            q = q.Where(e => e.Action.StartsWith(action));
        }

        if (!string.IsNullOrWhiteSpace(subject))
        {
            q = q.Where(e => e.Subject != null && e.Subject.Contains(subject));
        }

        if (from is { } f)
        {
            q = q.Where(e => e.At >= f);
        }

        if (to is { } t)
        {
            q = q.Where(e => e.At < t);
        }

        return q;
    }

    private static AuditEntryResponse Response(AuditEntry e) => new(e.Sequence, e.At, e.Actor, e.Role, e.Source, e.Action, e.Subject, e.Before, e.After, e.Hash);

    private static async Task<IResult> ListAsync(FuchunDbContext db, string? actor, string? action, string? subject, DateTimeOffset? from, DateTimeOffset? to, int? page, int? pageSize, CancellationToken ct)
    {
        var q = Filter(db, actor, action, subject, from, to);
        var size = Math.Clamp(pageSize ?? 50, 1, MaxPageSize);
        var number = Math.Max(1, page ?? 1);
        var total = await q.CountAsync(ct);
        var items = await q.OrderByDescending(e => e.Sequence).Skip((number - 1) * size).Take(size).ToListAsync(ct);
        await db.AuditAsync("audit.read", null, System.Text.Json.JsonSerializer.Serialize(new { actor, action, subject, from, to, page = number }), ct);
        return TypedResults.Ok(new AuditPageResponse([.. items.Select(Response)], total, number, size));
    }

    private static async Task<IResult> ExportAsync(FuchunDbContext db, string? actor, string? action, string? subject, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct)
    {
        var entries = await Filter(db, actor, action, subject, from, to).OrderBy(e => e.Sequence).ToListAsync(ct);
        await db.AuditAsync("audit.exported", null, System.Text.Json.JsonSerializer.Serialize(new { actor, action, subject, from, to, entries = entries.Count }), ct);
        static string Cell(string? value) => value is null ? "" : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        var csv = new StringBuilder("序号,时间,操作人,角色,来源,操作,对象,之前,之后,哈希\r\n");
        foreach (var e in entries)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{e.Sequence},{e.At:yyyy-MM-dd HH:mm:ss.fff},{Cell(e.Actor)},{Cell(e.Role)},{Cell(e.Source)},{Cell(e.Action)},{Cell(e.Subject)},{Cell(e.Before)},{Cell(e.After)},{e.Hash}\r\n");
        }

        // With a byte-order mark, so that Excel opens the Chinese text as UTF-8.
        return TypedResults.File([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())], "text/csv; charset=utf-8", "审计记录.csv");
    }
}
