namespace Fuchun.Domain.Governance;

/// <summary>
/// The roles of the platform (the governance issue): who may do which part of the supervision. The names in
/// <see cref="Roles.Name"/> are the ones configuration and tokens use.
/// </summary>
public enum Role
{
    /// <summary>市局: city bureau staff (市规划和自然资源局).</summary>
    CityBureau,

    /// <summary>市领导小组审核人: reviewer for the city's leading group.</summary>
    LeadingGroup,

    /// <summary>区县经办人: district officer.</summary>
    DistrictOfficer,

    /// <summary>乡镇经办人: township officer.</summary>
    TownshipOfficer,

    /// <summary>田长: field chief.</summary>
    FieldChief,

    /// <summary>审计（只读）: auditor, read-only.</summary>
    Auditor,

    /// <summary>系统管理员 (三员分立): runs the system; grants no roles, reads no audit log.</summary>
    SystemAdministrator,

    /// <summary>安全管理员 (三员分立): grants roles.</summary>
    SecurityAdministrator,

    /// <summary>审计管理员 (三员分立): reads the audit log and nothing else.</summary>
    AuditAdministrator,
}

/// <summary>Names of roles in configuration, tokens and the CLI.</summary>
public static class Roles
{
    public static string Name(this Role role) => role switch
    {
        Role.CityBureau => "city_bureau",
        Role.LeadingGroup => "leading_group",
        Role.DistrictOfficer => "district_officer",
        Role.TownshipOfficer => "township_officer",
        Role.FieldChief => "field_chief",
        Role.Auditor => "auditor",
        Role.SystemAdministrator => "system_admin",
        Role.SecurityAdministrator => "security_admin",
        _ => "audit_admin",
    };

    /// <summary>The role named <paramref name="name"/>, or null.</summary>
    public static Role? FromName(string? name) =>
        Enum.GetValues<Role>().Select(r => (Role?)r).FirstOrDefault(r => r!.Value.Name() == name);
}

/// <summary>
/// Who acts: the name recorded in the project's history, the roles they act in and, for district users, their
/// district. An operator is the person at the console of the machine (the CLI without a token): they hold the
/// database itself, so role rules do not bind them, and the history names them.
/// </summary>
public sealed record Actor(string Name, IReadOnlySet<Role> Roles, string? DistrictCode = null, bool IsOperator = false)
{
    /// <summary>Someone acting in no role.</summary>
    public static Actor Named(string name) => new(name, new HashSet<Role>());

    /// <summary>The operator at the console (see the type's remarks).</summary>
    public static Actor Operator(string name) => new(name, new HashSet<Role>(), null, IsOperator: true);
}

/// <summary>An act the acting account's roles or district do not allow (answered 403, the message says why).</summary>
public sealed class AccessDeniedException(string message) : Exception(message)
{
    public AccessDeniedException()
        : this(Resources.Messages.Forbidden())
    {
    }

    public AccessDeniedException(string message, Exception innerException)
        : this(message) => _ = innerException;
}
