using System.Security.Cryptography;
using System.Text.Json;
using Fuchun.Domain.Governance;
using Fuchun.Domain.Projects;
using Fuchun.Domain.Resources;
using Microsoft.EntityFrameworkCore;

namespace Fuchun.Storage.Projects;

/// <summary>
/// Documents filed with projects: each file checked (an accepted type whose first bytes match its extension, at most
/// 20 MB, not empty), kept under a random name in the documents folder (outside the web root, see
/// <see cref="DatabaseSettings.ResolveDocumentsRoot"/>), recorded with its SHA-256, and given out only through the
/// API to those who may see the project — each filing and each reading an audit entry. A filing that fails leaves
/// neither row nor file.
/// </summary>
public sealed class DocumentStore(FuchunDbContext db, DatabaseSettings settings, TimeProvider clock)
{
    public string Root => settings.ResolveDocumentsRoot();

    public async Task<IReadOnlyList<ProjectDocument>> ListAsync(string code, CancellationToken cancellationToken = default)
    {
        var projectId = await ProjectIdAsync(code, cancellationToken);
        return await db.ProjectDocuments.AsNoTracking().Where(d => d.ProjectId == projectId).OrderBy(d => d.UploadedAt).ThenBy(d => d.Id).ToListAsync(cancellationToken);
    }

    /// <summary>Files <paramref name="content"/> as a document of <paramref name="kind"/> of project <paramref name="code"/>.</summary>
    public async Task<ProjectDocument> AddAsync(string code, string kind, string fileName, Stream content, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var project = await db.Projects.AsNoTracking().Where(p => p.Code == code).Select(p => new { p.Id, p.Stage }).FirstOrDefaultAsync(cancellationToken)
            ?? throw new ProjectNotFoundException(code);
        if (!DocumentKinds.Names.ContainsKey(kind ?? ""))
        {
            throw new DomainValidationException([new FieldError("kind", Messages.DocumentKindUnknown(kind ?? ""))]);
        }

        // Only the last segment of what the browser says the file is called; never a path.
        var name = Path.GetFileName((fileName ?? "").Replace('\\', '/'));
        name = string.IsNullOrWhiteSpace(name) ? "document" : name[..Math.Min(name.Length, 200)];
        Directory.CreateDirectory(Root);
        var stored = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var path = Path.Combine(Root, stored);
        long size;
        string sha;
        string? contentType;
        try
        {
            await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                var buffer = new byte[81920];
                var head = new byte[16];
                var headLength = 0;
                size = 0;
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    if (headLength < head.Length)
                    {
                        var take = Math.Min(head.Length - headLength, read);
                        buffer.AsSpan(0, take).CopyTo(head.AsSpan(headLength));
                        headLength += take;
                    }

                    size += read;
                    if (size > DocumentFiles.MaxBytes)
                    {
                        throw new DomainValidationException([new FieldError("file", Messages.DocumentSize(name, (int)(DocumentFiles.MaxBytes / (1024 * 1024))))]);
                    }

                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }

                if (size == 0)
                {
                    throw new DomainValidationException([new FieldError("file", Messages.DocumentEmpty(name))]);
                }

                contentType = DocumentFiles.ContentTypeOf(name, head.AsSpan(0, headLength))
                    ?? throw new DomainValidationException([new FieldError("file", Messages.DocumentType(name, string.Join("、", DocumentFiles.Extensions)))]);
                sha = Convert.ToHexStringLower(hash.GetHashAndReset());
            }

            var document = new ProjectDocument(project.Id, kind!, project.Stage, name, contentType, size, sha, stored, actor, clock.GetUtcNow());
            db.ProjectDocuments.Add(document);
            db.Audit(new AuditEntry(clock.GetUtcNow(), actor, db.AuditRole, db.AuditSource, "document.filed", code, null,
                JsonSerializer.Serialize(new { kind, fileName = name, size, sha256 = sha, stage = project.Stage.ToString() })));
            await db.SaveChangesAsync(cancellationToken);
            return document;
        }
        catch
        {
            db.ChangeTracker.Clear();
            File.Delete(path);
            throw;
        }
    }

    /// <summary>Opens document <paramref name="id"/> of project <paramref name="code"/> for reading; the reading is an audit entry.</summary>
    public async Task<(ProjectDocument Document, Stream Content)> OpenAsync(string code, int id, string actor, CancellationToken cancellationToken = default)
    {
        var projectId = await ProjectIdAsync(code, cancellationToken);
        var document = await db.ProjectDocuments.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id && d.ProjectId == projectId, cancellationToken)
            ?? throw new DocumentNotFoundException(id);
        var stream = new FileStream(Path.Combine(Root, document.StoredName), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        await db.AuditAsync("document.read", code, JsonSerializer.Serialize(new { id, kind = document.Kind, fileName = document.FileName, reader = actor }), cancellationToken);
        return (document, stream);
    }

    private async Task<int> ProjectIdAsync(string code, CancellationToken cancellationToken) =>
        await db.Projects.AsNoTracking().Where(p => p.Code == code).Select(p => (int?)p.Id).FirstOrDefaultAsync(cancellationToken)
            ?? throw new ProjectNotFoundException(code);
}

/// <summary>A document that does not exist (for this project).</summary>
public sealed class DocumentNotFoundException(int id) : Exception(Messages.DocumentNotFound(id))
{
    public DocumentNotFoundException()
        : this(0)
    {
    }

    public DocumentNotFoundException(string message, Exception innerException)
        : this(0) => _ = (message, innerException);
}
