using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Fuchun.Domain.Governance;
using Fuchun.Domain.Layers;
using Fuchun.Domain.Policy;
using Fuchun.Domain.Projects;
using Fuchun.Domain.Resources;
using Fuchun.Spatial.Area;
using Fuchun.Spatial.IO;
using Fuchun.Storage.Analysis;
using Microsoft.EntityFrameworkCore;
using NetTopologySuite.Geometries;

namespace Fuchun.Storage.Projects;

/// <summary>
/// The project registry's use cases, shared by the server and the CLI. Every change validates its input first,
/// stores nothing when the input is wrong, and records who changed what with the state before and after.
/// </summary>
public sealed class ProjectRegistry(FuchunDbContext db, TimeProvider clock)
{
    internal static readonly JsonSerializerOptions ChangeJson = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
    };

    public async Task<PagedResult<ConsolidationProject>> ListAsync(ProjectQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var page = Math.Max(1, query.Page);
        var size = Math.Clamp(query.PageSize, 1, ProjectQuery.MaxPageSize);
        var q = db.Projects.AsNoTracking();
        if (!string.IsNullOrEmpty(query.DistrictCode))
        {
            q = q.Where(p => p.DistrictCode == query.DistrictCode);
        }

        if (!string.IsNullOrEmpty(query.TownshipCode))
        {
            q = q.Where(p => p.TownshipCodes.Contains(query.TownshipCode));
        }

        if (query.Stage is { } stage)
        {
            q = q.Where(p => p.Stage == stage);
        }

        if (query.IsPilot is { } pilot)
        {
            q = q.Where(p => p.IsPilot == pilot);
        }

        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var s = query.Search.Trim();
            q = q.Where(p => p.Code.Contains(s) || p.Name.Contains(s));
        }

        var total = await q.CountAsync(cancellationToken);
        q = (query.Sort, query.Descending) switch
        {
            (ProjectSort.Name, false) => q.OrderBy(p => p.Name).ThenBy(p => p.Code),
            (ProjectSort.Name, true) => q.OrderByDescending(p => p.Name).ThenBy(p => p.Code),
            (ProjectSort.District, false) => q.OrderBy(p => p.DistrictCode).ThenBy(p => p.Code),
            (ProjectSort.District, true) => q.OrderByDescending(p => p.DistrictCode).ThenBy(p => p.Code),
            (ProjectSort.Stage, false) => q.OrderBy(p => p.Stage).ThenBy(p => p.Code),
            (ProjectSort.Stage, true) => q.OrderByDescending(p => p.Stage).ThenBy(p => p.Code),
            (ProjectSort.Area, false) => q.OrderBy(p => p.AreaM2).ThenBy(p => p.Code),
            (ProjectSort.Area, true) => q.OrderByDescending(p => p.AreaM2).ThenBy(p => p.Code),
            (ProjectSort.UpdatedAt, false) => q.OrderBy(p => p.UpdatedAt).ThenBy(p => p.Code),
            (ProjectSort.UpdatedAt, true) => q.OrderByDescending(p => p.UpdatedAt).ThenBy(p => p.Code),
            (_, true) => q.OrderByDescending(p => p.Code),
            _ => q.OrderBy(p => p.Code),
        };
        var items = await q.Include(p => p.Zones).Skip((page - 1) * size).Take(size).ToListAsync(cancellationToken);
        return new PagedResult<ConsolidationProject>(items, total, page, size);
    }

    public Task<ConsolidationProject?> FindAsync(string code, CancellationToken cancellationToken = default) =>
        db.Projects.Include(p => p.Zones).FirstOrDefaultAsync(p => p.Code == code, cancellationToken);

    public async Task<ConsolidationProject> GetAsync(string code, CancellationToken cancellationToken = default) =>
        await FindAsync(code, cancellationToken) ?? throw new ProjectNotFoundException(code);

    public async Task<IReadOnlyList<ProjectChange>> HistoryAsync(string code, CancellationToken cancellationToken = default)
    {
        var id = await db.Projects.Where(p => p.Code == code).Select(p => (int?)p.Id).FirstOrDefaultAsync(cancellationToken)
            ?? throw new ProjectNotFoundException(code);
        return await db.ProjectChanges.AsNoTracking().Where(c => c.ProjectId == id).OrderBy(c => c.Id).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Registers a new project in the reserve stage, with its geometry when given. Details and geometry are
    /// validated together: with any error, nothing is stored.
    /// </summary>
    public async Task<ConsolidationProject> CreateAsync(ProjectDetails details, string actor, ProjectGeometry? geometry = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(details);
        var errors = ProjectValidator.ValidateDetails(details).ToList();
        if (geometry is not null)
        {
            errors.AddRange(ProjectValidator.ValidateGeometry(geometry.ProjectArea, geometry.Zones));
        }

        Throw(errors);
        await EnsureCodeFreeAsync(details.Code.Trim(), null, cancellationToken);
        var project = ConsolidationProject.Create(details, clock.GetUtcNow());
        return await db.InTransactionAsync(async () =>
        {
            db.Projects.Add(project);
            await SaveAsync(details.Code, cancellationToken);
            Record(project, ProjectChangeKind.Created, actor, null, Serialize(project.Details), null);
            if (geometry is not null)
            {
                ApplyGeometry(project, geometry, actor);
            }

            await db.SaveChangesAsync(cancellationToken);
            return project;
        }, cancellationToken);
    }

    /// <summary>
    /// Changes a project's facts and, when given, replaces its geometry: validated together, stored together.
    /// </summary>
    public async Task<ConsolidationProject> UpdateAsync(string code, ProjectDetails details, string actor, ProjectGeometry? geometry = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(details);
        var project = await GetAsync(code, cancellationToken);
        var errors = ProjectValidator.ValidateDetails(details).ToList();
        if (geometry is not null)
        {
            errors.AddRange(ProjectValidator.ValidateGeometry(geometry.ProjectArea, geometry.Zones));
        }

        Throw(errors);
        await EnsureCodeFreeAsync(details.Code.Trim(), project.Id, cancellationToken);
        var before = Serialize(project.Details);
        project.Apply(details, clock.GetUtcNow());
        Record(project, ProjectChangeKind.Edited, actor, before, Serialize(project.Details), null);
        if (geometry is not null)
        {
            ApplyGeometry(project, geometry, actor);
        }

        await SaveAsync(details.Code, cancellationToken);
        return project;
    }

    /// <summary>Replaces the project area and all zones (coordinates CGCS2000 longitude/latitude).</summary>
    public async Task<ConsolidationProject> ReplaceGeometryAsync(string code, ProjectGeometry geometry, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        var project = await GetAsync(code, cancellationToken);
        Throw(ProjectValidator.ValidateGeometry(geometry.ProjectArea, geometry.Zones));
        ApplyGeometry(project, geometry, actor);
        await SaveAsync(code, cancellationToken);
        return project;
    }

    private void ApplyGeometry(ConsolidationProject project, ProjectGeometry geometry, string actor)
    {
        var before = project.ProjectArea is null ? null : SerializeGeometry(project.ProjectArea, project.AreaM2, project.Zones);
        var newZones = geometry.Zones.Select(z => new Zone(z.ZoneCode, z.Name, z.Geometry, EllipsoidalArea.OfGeometry(z.Geometry))).ToList();
        project.ReplaceGeometry(geometry.ProjectArea, EllipsoidalArea.OfGeometry(geometry.ProjectArea), newZones, clock.GetUtcNow());
        Record(project, ProjectChangeKind.GeometryReplaced, actor, before, SerializeGeometry(project.ProjectArea!, project.AreaM2, project.Zones), null);
    }

    /// <summary>Moves a project a stage on or back, as someone acting in no role (no waiver can be granted).</summary>
    public Task<ConsolidationProject> MoveStageAsync(string code, ProjectStage target, string? comment, string actor, CancellationToken cancellationToken = default) =>
        MoveStageAsync(code, target, comment, Actor.Operator(actor), null, cancellationToken);

    /// <summary>
    /// Moves a project to the next stage, or back one stage with a reason. All stage changes pass here. Leaving a
    /// stage that has a gate in the policy edition (plan review, district and city acceptance) checks every rule on
    /// the gate's layer: the result goes into the history whatever it is, and a <c>fail</c> stops the move unless
    /// <paramref name="waiverReason"/> is given by an actor in a role the gate lets waive, which is recorded too.
    /// </summary>
    public Task<ConsolidationProject> MoveStageAsync(string code, ProjectStage target, string? comment, Actor actor, string? waiverReason, CancellationToken cancellationToken = default) =>
        MoveAsync(code, target, comment, actor, waiverReason, gates: true, cancellationToken);

    /// <summary>
    /// Registers a project that is already past stages it went through elsewhere (the demo's projects): moves it on
    /// without checking gates, and says so in the history.
    /// </summary>
    internal Task<ConsolidationProject> RegisterStageAsync(string code, ProjectStage target, string actor, CancellationToken cancellationToken) =>
        MoveAsync(code, target, Messages.StageRegistered(), Actor.Named(actor), null, gates: false, cancellationToken);

    private async Task<ConsolidationProject> MoveAsync(string code, ProjectStage target, string? comment, Actor actor, string? waiverReason, bool gates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var project = await GetAsync(code, cancellationToken);
        var from = project.Stage;
        var kind = ProjectLifecycle.Classify(from, target);
        if (kind is null)
        {
            Throw([new FieldError("stage", Messages.TransitionNotAllowed(StageName(from), StageName(target)))]);
        }

        if (gates && !actor.IsOperator)
        {
            // Who decides the stage the project is in moves it on or sends it back; a district only its own projects.
            // A role that may waive the gate of this move may also make it, with its waiver (the city accepting
            // what the district's acceptance could not pass).
            var decider = ProjectLifecycle.DecidedBy(from);
            var waiving = !string.IsNullOrWhiteSpace(waiverReason) && kind == TransitionKind.Advance
                && PolicyEdition.Default.GateFor(from, target) is { } waivable && waivable.WaiverRoles.Any(actor.Roles.Contains);
            if (!waiving && !actor.Roles.Contains(decider))
            {
                throw new AccessDeniedException(Messages.StageDecidedBy(StageName(from), RoleName(decider)));
            }

            if (!waiving && decider == Role.DistrictOfficer && actor.DistrictCode != project.DistrictCode)
            {
                throw new AccessDeniedException(Messages.StageOtherDistrict(actor.DistrictCode ?? "—"));
            }
        }

        // 立项 only within an approved annual implementation plan of the project's district for the year (paragraph (七)).
        if (gates && kind == TransitionKind.Advance && target == ProjectStage.Approval)
        {
            var year = Domain.Planning.PlanRules.YearOf(clock.GetUtcNow());
            if (!await new Planning.PlanService(db, clock).ListedForApprovalAsync(code, project.DistrictCode, year, cancellationToken))
            {
                Throw([new FieldError("stage", Messages.PlanRequiredForApproval(code, project.DistrictCode, year))]);
            }
        }

        // The documents the policy edition asks for at this move must be filed first (said together with the gate's
        // verdict, so that one attempt tells everything still missing).
        FieldError? documents = null;
        if (gates && kind == TransitionKind.Advance && PolicyEdition.Default.DocumentsFor(from, target) is { Count: > 0 } required)
        {
            var filed = await db.ProjectDocuments.AsNoTracking().Where(d => d.ProjectId == project.Id).Select(d => d.Kind).Distinct().ToListAsync(cancellationToken);
            if (required.Where(r => !filed.Contains(r.Kind)).Select(r => r.Name).ToList() is { Count: > 0 } missing)
            {
                documents = new FieldError("documents", Messages.DocumentsRequired(StageName(from), string.Join("、", missing)));
            }
        }

        if (kind == TransitionKind.SendBack && string.IsNullOrWhiteSpace(comment))
        {
            Throw([new FieldError("comment", Messages.SendBackNeedsReason())]);
        }

        if (gates && kind == TransitionKind.Advance && PolicyEdition.Default.GateFor(from, target) is { } gate)
        {
            try
            {
                await PassGateAsync(project, gate, actor, waiverReason, cancellationToken);
            }
            catch (DomainValidationException blocked) when (documents is not null)
            {
                throw new DomainValidationException([.. blocked.Errors, documents]);
            }
        }

        if (documents is not null)
        {
            // The gate's verdict (held, or waived) is kept in the history even though the move waits for documents.
            await db.SaveChangesAsync(cancellationToken);
            Throw([documents]);
        }

        project.MoveTo(target, clock.GetUtcNow());
        Record(project, ProjectChangeKind.StageChanged, actor.Name,
            JsonSerializer.Serialize(new { stage = from }, ChangeJson),
            JsonSerializer.Serialize(new { stage = target }, ChangeJson),
            string.IsNullOrWhiteSpace(comment) ? null : comment.Trim());
        await SaveAsync(code, cancellationToken);
        return project;
    }

    /// <summary>
    /// Checks the gate; records its result (kept even when the move is refused: an attempt that a gate stopped is
    /// part of the project's history), and a waiver when one is granted.
    /// </summary>
    private async Task PassGateAsync(ConsolidationProject project, LifecycleGate gate, Actor actor, string? waiverReason, CancellationToken cancellationToken)
    {
        var edition = PolicyEdition.Default;
        var (results, missing) = await new ProjectAnalyzer(db).CheckAsync(project.Code, edition, gate.Layer, cancellationToken);
        var failing = results?.Where(r => r.Verdict == Verdict.Fail).Select(r => r.Id).ToList() ?? [];
        var held = results is not null && failing.Count == 0;
        Record(project, ProjectChangeKind.GateChecked, actor.Name, null, JsonSerializer.Serialize(new
        {
            gate = gate.Id,
            name = gate.Name,
            edition = edition.Id,
            layer = gate.Layer.PackageName(),
            held,
            missingLayer = missing?.PackageName(),
            failing,
            verdicts = results?.ToDictionary(r => r.Id, r => r.Verdict.Name()),
        }, ChangeJson), null);
        if (held)
        {
            return;
        }

        var allowed = string.Join("、", gate.WaiverRoles.Select(RoleName));
        if (results is null)
        {
            await db.SaveChangesAsync(cancellationToken);
            throw new DomainValidationException([new FieldError("stage", Messages.GateMissingLayer(gate.Name, missing!.Value.PackageName()))]);
        }

        if (string.IsNullOrWhiteSpace(waiverReason))
        {
            await db.SaveChangesAsync(cancellationToken);
            throw new DomainValidationException([new FieldError("stage", Messages.GateBlocked(gate.Name, string.Join("、", failing), allowed))]);
        }

        var role = gate.WaiverRoles.Where(actor.Roles.Contains).Select(r => (Role?)r).FirstOrDefault();
        if (role is null)
        {
            await db.SaveChangesAsync(cancellationToken);
            throw new DomainValidationException([new FieldError("waiver", Messages.GateWaiverRole(gate.Name, allowed))]);
        }

        Record(project, ProjectChangeKind.GateWaived, actor.Name, null, JsonSerializer.Serialize(new
        {
            gate = gate.Id,
            name = gate.Name,
            rules = failing,
            role = role.Value.Name(),
            reason = waiverReason!.Trim(),
        }, ChangeJson), waiverReason.Trim(), role.Value.Name());
    }

    /// <summary>The zh-CN name of a role.</summary>
    public static string RoleName(Role role) => Messages.Get("Role" + role);

    /// <summary>The zh-CN name of a stage, as shown to users.</summary>
    public static string StageName(ProjectStage stage) => Messages.Get("Stage" + stage);

    /// <summary>
    /// Records, on the city bureau's word, that the province approved the project's PBF adjustment beyond the city's
    /// limits (paragraph (十): 应报经省级以上自然资源部门批准): the province's document must be on file; the approval
    /// (date, document number, who recorded it) becomes a stated fact that rule R05 reads.
    /// </summary>
    public async Task<ConsolidationProject> RecordProvincialApprovalAsync(string code, DateOnly approvedOn, string documentNumber, Actor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsOperator && !actor.Roles.Contains(Role.CityBureau))
        {
            throw new AccessDeniedException(Messages.ProvincialApprovalCityOnly());
        }

        var project = await GetAsync(code, cancellationToken);
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(documentNumber))
        {
            errors.Add(new("documentNumber", Messages.ProvincialApprovalNumber()));
        }

        if (approvedOn > DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime.AddHours(8)) || approvedOn.Year < 2023)
        {
            errors.Add(new("approvedOn", Messages.ProvincialApprovalDate()));
        }

        if (!await db.ProjectDocuments.AnyAsync(d => d.ProjectId == project.Id && d.Kind == "provincial_approval", cancellationToken))
        {
            errors.Add(new("documents", Messages.DocumentsRequired(StageName(project.Stage), DocumentKinds.Names["provincial_approval"])));
        }

        Throw(errors);
        var facts = project.StatedFactsJson is { } stated ? JsonNode.Parse(stated)!.AsObject() : [];
        facts["provincial_approval_for_pbf_adjustment"] = true;
        facts["provincial_approval"] = new JsonObject
        {
            ["approved_on"] = approvedOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["document_number"] = documentNumber.Trim(),
            ["recorded_by"] = actor.Name,
        };
        ReplaceStatedFacts(project, facts.ToJsonString(), actor.Name);
        await SaveAsync(code, cancellationToken);
        return project;
    }

    /// <summary>Replaces what the project's package states beyond the registry's fields, recording the change.</summary>
    internal void ReplaceStatedFacts(ConsolidationProject project, string? json, string actor)
    {
        if (project.StatedFactsJson == json)
        {
            return;
        }

        var before = project.StatedFactsJson;
        project.ReplaceStatedFacts(json, clock.GetUtcNow());
        Record(project, ProjectChangeKind.Edited, actor, before is null ? null : JsonSerializer.Serialize(new { statedFacts = JsonNode.Parse(before) }, ChangeJson),
            json is null ? null : JsonSerializer.Serialize(new { statedFacts = JsonNode.Parse(json) }, ChangeJson), null);
    }

    internal void Record(ConsolidationProject project, ProjectChangeKind kind, string actor, string? before, string? after, string? comment, string? role = null)
    {
        db.ProjectChanges.Add(new ProjectChange(project.Id, clock.GetUtcNow(), actor, kind, before, after, comment));
        // Every change is also an entry of the city's tamper-evident audit trail.
        db.Audit(new AuditEntry(clock.GetUtcNow(), actor, role ?? (actor == db.AuditActor ? db.AuditRole : null), db.AuditSource, "project." + kind, project.Code, before,
            comment is null ? after : JsonSerializer.Serialize(new { change = after is null ? null : JsonNode.Parse(after), comment }, ChangeJson)));
    }

    private async Task EnsureCodeFreeAsync(string code, int? exceptId, CancellationToken cancellationToken)
    {
        if (await db.Projects.AnyAsync(p => p.Code == code && p.Id != exceptId, cancellationToken))
        {
            Throw([new FieldError("code", Messages.CodeTaken(code))]);
        }
    }

    private async Task SaveAsync(string code, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A concurrent request took the code between the check and the insert: the unique index decides.
            db.ChangeTracker.Clear();
            if (await db.Projects.AnyAsync(p => p.Code == code, cancellationToken))
            {
                Throw([new FieldError("code", Messages.CodeTaken(code))]);
            }

            throw;
        }
    }

    private static void Throw(IReadOnlyList<FieldError> errors)
    {
        if (errors.Count > 0)
        {
            throw new DomainValidationException(errors);
        }
    }

    private static string Serialize(ProjectDetails details) => JsonSerializer.Serialize(details, ChangeJson);

    private static string SerializeGeometry(MultiPolygon area, double areaM2, IEnumerable<Zone> zones)
    {
        JsonNode? Geo(Geometry g) => JsonNode.Parse(JsonSerializer.Serialize(g, GeoJsonGeometryReader.SerializerOptions));
        var json = new JsonObject
        {
            ["areaM2"] = areaM2,
            ["projectArea"] = Geo(area),
            ["zones"] = new JsonArray([.. zones.Select(z => (JsonNode)new JsonObject
            {
                ["zoneId"] = z.ZoneCode,
                ["name"] = z.Name,
                ["areaM2"] = z.AreaM2,
                ["geometry"] = Geo(z.Geometry),
            })]),
        };
        return json.ToJsonString(ChangeJson);
    }
}
