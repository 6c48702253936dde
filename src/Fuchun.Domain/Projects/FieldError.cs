namespace Fuchun.Domain.Projects;

/// <summary>A problem with one input field: its name as the API spells it, and a message for the user (zh-CN).</summary>
public sealed record FieldError(string Field, string Message);

/// <summary>Input that breaks a rule of the registry; nothing has been stored.</summary>
public sealed class DomainValidationException(IReadOnlyList<FieldError> errors)
    : Exception(string.Join("; ", errors.Select(e => $"{e.Field}: {e.Message}")))
{
    public IReadOnlyList<FieldError> Errors { get; } = errors;
}
