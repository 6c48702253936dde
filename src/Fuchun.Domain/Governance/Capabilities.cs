namespace Fuchun.Domain.Governance;

/// <summary>What an account may do on the platform; each endpoint demands one.</summary>
public enum Capability
{
    /// <summary>See projects, their layers, maps, tiles, analyses and checks (district users: their own district's).</summary>
    ReadProjects,

    /// <summary>Register projects and change their facts, zones, layers and packages.</summary>
    EditProjects,

    /// <summary>Take projects' data away: layer and package exports, check workbooks (each read is in the audit trail).</summary>
    ExportData,

    /// <summary>Move projects between lifecycle stages (which stages, <see cref="Projects.ProjectLifecycle.DecidedBy"/> says).</summary>
    MoveStages,

    /// <summary>Write and submit consolidation plans (the city bureau its outline, a district its own plans).</summary>
    EditPlans,

    /// <summary>Approve or return submitted plans (the city bureau for the city government, the leading group).</summary>
    ApprovePlans,

    /// <summary>Create and disable accounts and reset their passwords (the system administrator; grants no roles).</summary>
    ManageAccounts,

    /// <summary>Grant and withdraw roles (the security administrator).</summary>
    GrantRoles,

    /// <summary>Read and export the audit trail (the audit administrator alone).</summary>
    ReadAudit,
}

/// <summary>
/// The one table of who may do what (the governance issue, item 2), and the separation of the three administrators
/// (三员分立): the system, security and audit administrators each do only their part and hold no other role.
/// </summary>
public static class Capabilities
{
    private static readonly Dictionary<Role, Capability[]> Table = new()
    {
        [Role.CityBureau] = [Capability.ReadProjects, Capability.EditProjects, Capability.ExportData, Capability.MoveStages, Capability.EditPlans, Capability.ApprovePlans],
        [Role.LeadingGroup] = [Capability.ReadProjects, Capability.ExportData, Capability.ApprovePlans],
        [Role.DistrictOfficer] = [Capability.ReadProjects, Capability.EditProjects, Capability.ExportData, Capability.MoveStages, Capability.EditPlans],
        [Role.TownshipOfficer] = [Capability.ReadProjects, Capability.ExportData],
        [Role.FieldChief] = [Capability.ReadProjects],
        [Role.Auditor] = [Capability.ReadProjects, Capability.ExportData],
        [Role.SystemAdministrator] = [Capability.ManageAccounts],
        [Role.SecurityAdministrator] = [Capability.GrantRoles],
        [Role.AuditAdministrator] = [Capability.ReadAudit],
    };

    /// <summary>The three administrators of 三员分立.</summary>
    public static readonly IReadOnlySet<Role> Administrators = new HashSet<Role> { Role.SystemAdministrator, Role.SecurityAdministrator, Role.AuditAdministrator };

    /// <summary>The roles that hold <paramref name="capability"/>.</summary>
    public static IReadOnlyList<Role> RolesWith(Capability capability) => [.. Table.Where(kv => kv.Value.Contains(capability)).Select(kv => kv.Key).Order()];

    /// <summary>True when one of <paramref name="roles"/> holds <paramref name="capability"/>.</summary>
    public static bool Allows(IEnumerable<Role> roles, Capability capability) => roles.Any(r => Table[r].Contains(capability));

    /// <summary>
    /// The roles of <paramref name="roles"/> that may not be held together: an administrator holds exactly one role.
    /// Empty when the set is allowed.
    /// </summary>
    public static IReadOnlyList<Role> Incompatible(IReadOnlyCollection<Role> roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        var distinct = roles.Distinct().ToList();
        return distinct.Count > 1 && distinct.Any(Administrators.Contains) ? [.. distinct.Order()] : [];
    }

    /// <summary>The name of <paramref name="capability"/> as an authorization policy.</summary>
    public static string PolicyName(this Capability capability) => "fuchun." + capability.ToString();
}
