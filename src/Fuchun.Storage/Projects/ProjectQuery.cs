using Fuchun.Domain.Projects;
using NetTopologySuite.Geometries;

namespace Fuchun.Storage.Projects;

/// <summary>What a project list can be sorted by.</summary>
public enum ProjectSort
{
    Code,
    Name,
    District,
    Stage,
    Area,
    UpdatedAt,
}

/// <summary>A filtered, sorted, paged request for projects. Pages count from 1.</summary>
public sealed record ProjectQuery
{
    public const int MaxPageSize = 200;

    public string? DistrictCode { get; init; }

    /// <summary>Only projects that take in this township (a township user's view).</summary>
    public string? TownshipCode { get; init; }

    public ProjectStage? Stage { get; init; }

    public bool? IsPilot { get; init; }

    /// <summary>Matches part of the code or the name.</summary>
    public string? Search { get; init; }

    public ProjectSort Sort { get; init; } = ProjectSort.Code;

    public bool Descending { get; init; }

    public int Page { get; init; } = 1;

    public int PageSize { get; init; } = 20;
}

/// <summary>One page of results, with the total count of matches.</summary>
public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize);

/// <summary>No project has this code.</summary>
public sealed class ProjectNotFoundException(string code) : Exception($"project {code} not found")
{
    public string Code { get; } = code;
}

/// <summary>A project area with its zones, as submitted (CGCS2000 longitude/latitude).</summary>
public sealed record ProjectGeometry(MultiPolygon ProjectArea, IReadOnlyList<ZoneInput> Zones);
