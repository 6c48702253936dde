namespace Fuchun.Domain.Projects;

/// <summary>What a recorded change did to a project.</summary>
public enum ProjectChangeKind
{
    Created,
    Edited,
    GeometryReplaced,
    StageChanged,

    /// <summary>A project package was imported into the project (details, geometry, layers, stated facts).</summary>
    PackageImported,

    /// <summary>A lifecycle gate was checked (plan review, acceptance): its verdicts, and whether it held.</summary>
    GateChecked,

    /// <summary>A failing gate was waived by a role allowed to, with a reason.</summary>
    GateWaived,
}

/// <summary>
/// One entry of a project's history (留痕): who changed what, when, with the state before and after as JSON.
/// Entries are only ever added.
/// </summary>
public sealed class ProjectChange
{
    public ProjectChange(int projectId, DateTimeOffset at, string actor, ProjectChangeKind kind, string? before, string? after, string? comment)
    {
        ProjectId = projectId;
        At = at;
        Actor = actor;
        Kind = kind;
        Before = before;
        After = after;
        Comment = comment;
    }

    private ProjectChange()
    {
        Actor = "";
    }

    public long Id { get; private set; }

    public int ProjectId { get; private set; }

    /// <summary>When the change was made (UTC).</summary>
    public DateTimeOffset At { get; private set; }

    /// <summary>Who made it: the signed-in user, or the system process that did.</summary>
    public string Actor { get; private set; }

    public ProjectChangeKind Kind { get; private set; }

    /// <summary>The changed state before, as JSON; null on creation.</summary>
    public string? Before { get; private set; }

    /// <summary>The changed state after, as JSON.</summary>
    public string? After { get; private set; }

    /// <summary>A reason or remark (required when a project is sent back).</summary>
    public string? Comment { get; private set; }
}
