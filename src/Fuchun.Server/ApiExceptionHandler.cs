using Fuchun.Domain.Projects;
using Fuchun.Domain.Resources;
using Fuchun.Storage.Projects;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Fuchun.Server;

/// <summary>
/// Turns exceptions into RFC 9457 problem details: input errors into 400 with field-level messages, a missing
/// project into 404, anything else into a 500 that names the request id and shows no internals.
/// </summary>
internal sealed class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ProblemDetails problem = exception switch
        {
            DomainValidationException v => new ValidationProblemDetails(
                v.Errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()))
            {
                Status = StatusCodes.Status400BadRequest,
                Title = Messages.ValidationTitle(),
            },
            ProjectNotFoundException nf => new ProblemDetails
            {
                Status = StatusCodes.Status404NotFound,
                Title = Messages.NotFoundTitle(),
                Detail = Messages.ProjectNotFound(nf.Code),
            },
            Storage.Projects.DocumentNotFoundException document => new ProblemDetails
            {
                Status = StatusCodes.Status404NotFound,
                Title = Messages.NotFoundTitle(),
                Detail = document.Message,
            },
            Storage.Planning.PlanNotFoundException plan => new ProblemDetails
            {
                Status = StatusCodes.Status404NotFound,
                Title = Messages.NotFoundTitle(),
                Detail = plan.Message,
            },
            Domain.Governance.AccessDeniedException denied => new ProblemDetails
            {
                Status = StatusCodes.Status403Forbidden,
                Title = denied.Message,
            },
            BadHttpRequestException bad => new ProblemDetails
            {
                Status = bad.StatusCode,
                Title = Messages.BadRequestTitle(),
                Detail = Messages.BodyUnreadable(bad.InnerException?.Message ?? bad.Message),
            },
            _ => new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = Messages.InternalError(httpContext.TraceIdentifier),
            },
        };
        if (problem.Status == StatusCodes.Status500InternalServerError)
        {
            logger.LogError(exception, "Unhandled error for {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }
}
