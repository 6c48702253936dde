using Fuchun.Domain.Projects;
using Fuchun.Storage.Projects;
using Fuchun.Storage.Seeding;
using Fuchun.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fuchun.Storage.Tests;

/// <summary>
/// Documents on both backends: accepted only when their bytes are what their name says and within 20 MB, kept
/// outside any web folder under a random name, recorded with their hash, each filing and reading on the audit
/// trail, and nothing left behind by a refused one.
/// </summary>
public abstract class DocumentContract : IAsyncLifetime
{
    private TestDatabase? database;
    private AsyncServiceScope scope;

    protected abstract DatabaseProvider Provider { get; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DocumentStore Store => scope.ServiceProvider.GetRequiredService<DocumentStore>();

    private FuchunDbContext Db => scope.ServiceProvider.GetRequiredService<FuchunDbContext>();

    public async ValueTask InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(Provider);
        scope = database.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(withProjects: false, cancellationToken: Ct);
        await scope.ServiceProvider.GetRequiredService<ProjectRegistry>().CreateAsync(RegistryContract.Details("330111-2026-501", pilot: false), "测试", null, Ct);
    }

    public async ValueTask DisposeAsync()
    {
        var root = Store.Root;
        await scope.DisposeAsync();
        if (database is not null)
        {
            await database.DisposeAsync();
        }

        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        GC.SuppressFinalize(this);
    }

    private Task<ProjectDocument> FileAsync(byte[] bytes, string name, string kind = "approval_reply") =>
        Store.AddAsync("330111-2026-501", kind, name, new MemoryStream(bytes), "富阳经办人", Ct);

    [Fact]
    public async Task AFiledDocument_IsKeptUnderARandomName_AndReadBackWhole()
    {
        var filed = await FileAsync(DocumentFixtures.Pdf, "../../etc/立项批复.pdf");
        Assert.Equal("立项批复.pdf", filed.FileName);
        Assert.Equal("application/pdf", filed.ContentType);
        Assert.Equal(ProjectStage.Reserve, filed.Stage);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(DocumentFixtures.Pdf)), filed.Sha256);
        Assert.Matches("^[0-9a-f]{32}$", filed.StoredName);
        Assert.True(File.Exists(Path.Combine(Store.Root, filed.StoredName)));

        var (document, content) = await Store.OpenAsync("330111-2026-501", filed.Id, "市局审查人", Ct);
        await using (content)
        {
            using var copy = new MemoryStream();
            await content.CopyToAsync(copy, Ct);
            Assert.Equal(DocumentFixtures.Pdf, copy.ToArray());
        }

        Assert.Equal("approval_reply", document.Kind);
        var actions = await Db.AuditEntries.AsNoTracking().Where(e => e.Subject == "330111-2026-501" && e.Action.StartsWith("document.")).OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync(Ct);
        Assert.Equal(["document.filed", "document.read"], actions);
        await Assert.ThrowsAsync<DocumentNotFoundException>(() => Store.OpenAsync("330111-2026-501", filed.Id + 1000, "x", Ct));
    }

    [Fact]
    public async Task ARefusedDocument_NamesWhatIsWrong_AndLeavesNothing()
    {
        var html = "<html><script>alert(1)</script></html>"u8.ToArray();
        var cases = new (byte[] Bytes, string Name, string Kind, string Field, string Words)[]
        {
            (html, "审查意见.pdf", "plan_review_opinion", "file", "文件内容须与扩展名相符"),
            (DocumentFixtures.Pdf, "批复.exe", "approval_reply", "file", ".pdf"),
            ([], "空.pdf", "approval_reply", "file", "空文件"),
            (DocumentFixtures.Pdf, "批复.pdf", "love_letter", "kind", "love_letter"),
            ([.. DocumentFixtures.Pdf, .. new byte[DocumentFiles.MaxBytes]], "太大.pdf", "approval_reply", "file", "20 MB"),
        };
        foreach (var (bytes, name, kind, field, words) in cases)
        {
            var refused = await Assert.ThrowsAsync<DomainValidationException>(() => FileAsync(bytes, name, kind));
            var error = Assert.Single(refused.Errors);
            Assert.Equal(field, error.Field);
            Assert.Contains(words, error.Message, StringComparison.Ordinal);
        }

        Assert.Empty(await Store.ListAsync("330111-2026-501", Ct));
        Assert.True(!Directory.Exists(Store.Root) || Directory.GetFiles(Store.Root).Length == 0);
        Assert.False(await Db.AuditEntries.AnyAsync(e => e.Action == "document.filed", Ct));
    }
}

public sealed class SqliteDocumentTests : DocumentContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgresDocumentTests : DocumentContract
{
    protected override DatabaseProvider Provider => DatabaseProvider.Postgres;
}
