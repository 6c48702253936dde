namespace Fuchun.Domain.Projects;

/// <summary>
/// A document filed with a project (批复、审查意见、验收报告…): its kind, the stage it was filed at, the file as
/// uploaded (name, type, size, SHA-256) and who filed it when. The file itself is kept outside the web root under a
/// name of the platform's choosing.
/// </summary>
public sealed class ProjectDocument
{
    public ProjectDocument(int projectId, string kind, ProjectStage stage, string fileName, string contentType, long sizeBytes, string sha256, string storedName, string uploadedBy, DateTimeOffset uploadedAt)
    {
        ProjectId = projectId;
        Kind = kind;
        Stage = stage;
        FileName = fileName;
        ContentType = contentType;
        SizeBytes = sizeBytes;
        Sha256 = sha256;
        StoredName = storedName;
        UploadedBy = uploadedBy;
        UploadedAt = uploadedAt;
    }

    private ProjectDocument()
    {
        Kind = FileName = ContentType = Sha256 = StoredName = UploadedBy = "";
    }

    public int Id { get; private set; }

    public int ProjectId { get; private set; }

    /// <summary>The document's kind (<see cref="DocumentKinds"/>), for example <c>approval_reply</c>.</summary>
    public string Kind { get; private set; }

    /// <summary>The stage the project was in when the document was filed.</summary>
    public ProjectStage Stage { get; private set; }

    /// <summary>The file's name as uploaded (its last path segment only).</summary>
    public string FileName { get; private set; }

    public string ContentType { get; private set; }

    public long SizeBytes { get; private set; }

    public string Sha256 { get; private set; }

    /// <summary>The name the file is kept under: random, never the uploader's.</summary>
    public string StoredName { get; private set; }

    public string UploadedBy { get; private set; }

    public DateTimeOffset UploadedAt { get; private set; }
}

/// <summary>The kinds of document a project files, and which the lifecycle asks for (the policy edition says where).</summary>
public static class DocumentKinds
{
    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>
    {
        ["approval_reply"] = "立项批复",
        ["plan_review_opinion"] = "实施方案审查意见",
        ["district_acceptance_report"] = "区县验收报告",
        ["city_acceptance_opinion"] = "市级整体验收意见",
        ["provincial_approval"] = "省级批准文件（永久基本农田调整，第（十）条）",
        ["other"] = "其他材料",
    };
}

/// <summary>
/// What a document file may be: PDF, PNG or JPEG images, and office files (Word, Excel, PowerPoint, OFD), each known
/// by its extension and confirmed by its first bytes, at most <see cref="MaxBytes"/>.
/// </summary>
public static class DocumentFiles
{
    public const long MaxBytes = 20L * 1024 * 1024;

    private static readonly Dictionary<string, (string ContentType, byte[][] Signatures)> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        [".pdf"] = ("application/pdf", ["%PDF-"u8.ToArray()]),
        [".png"] = ("image/png", [[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]]),
        [".jpg"] = ("image/jpeg", [[0xFF, 0xD8, 0xFF]]),
        [".jpeg"] = ("image/jpeg", [[0xFF, 0xD8, 0xFF]]),
        [".docx"] = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", [[0x50, 0x4B, 0x03, 0x04]]),
        [".xlsx"] = ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", [[0x50, 0x4B, 0x03, 0x04]]),
        [".pptx"] = ("application/vnd.openxmlformats-officedocument.presentationml.presentation", [[0x50, 0x4B, 0x03, 0x04]]),
        [".ofd"] = ("application/ofd", [[0x50, 0x4B, 0x03, 0x04]]),
        [".doc"] = ("application/msword", [[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]]),
        [".xls"] = ("application/vnd.ms-excel", [[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]]),
    };

    /// <summary>The extensions accepted, for messages and the page's file picker.</summary>
    public static IReadOnlyList<string> Extensions => [.. Types.Keys];

    /// <summary>
    /// The content type of a file named <paramref name="fileName"/> that begins with <paramref name="head"/>, or null
    /// when the name's extension is not accepted or the bytes are not what it claims.
    /// </summary>
    public static string? ContentTypeOf(string fileName, ReadOnlySpan<byte> head)
    {
        if (!Types.TryGetValue(Path.GetExtension(fileName), out var type))
        {
            return null;
        }

        foreach (var signature in type.Signatures)
        {
            if (head.StartsWith(signature))
            {
                return type.ContentType;
            }
        }

        return null;
    }
}
