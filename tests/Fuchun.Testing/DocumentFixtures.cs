using Fuchun.Storage.Projects;
using Microsoft.Extensions.DependencyInjection;

namespace Fuchun.Testing;

/// <summary>Files documents with a project as its district or the city would, so that a test may take it past the moves that need them.</summary>
public static class DocumentFixtures
{
    /// <summary>A small but real PDF (one empty page).</summary>
    public static byte[] Pdf { get; } = System.Text.Encoding.ASCII.GetBytes(
        "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj " +
        "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");

    public static async Task FileAsync(IServiceProvider services, string projectCode, params string[] kinds)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(kinds);
        await using var scope = services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<DocumentStore>();
        foreach (var kind in kinds)
        {
            using var content = new MemoryStream(Pdf);
            await store.AddAsync(projectCode, kind, kind + ".pdf", content, "test:documents");
        }
    }
}
