using Fuchun.Domain.Layers;
using Fuchun.Spatial.IO;
using Fuchun.Storage.Projects;
using Microsoft.EntityFrameworkCore;

namespace Fuchun.Storage.Layers;

/// <summary>The layer was not taken; nothing of it was stored.</summary>
public sealed class LayerImportRejectedException(IReadOnlyList<ImportProblem> problems)
    : Exception(string.Join(Environment.NewLine, problems))
{
    public IReadOnlyList<ImportProblem> Problems { get; } = problems;
}

/// <summary>Imports a parcel layer into a project: checked whole first, then stored in one transaction, or not at all.</summary>
public sealed class LayerImporter(FuchunDbContext db, ILayerStore store)
{
    public async Task<Layer> ImportParcelsAsync(string projectCode, LayerKind kind, string name, FeatureLayer input, CancellationToken cancellationToken = default)
    {
        if (!kind.HoldsParcels())
        {
            throw new ArgumentException($"{kind.PackageName()} is not a parcel layer", nameof(kind));
        }

        var projectId = await db.Projects.Where(p => p.Code == projectCode).Select(p => (int?)p.Id).FirstOrDefaultAsync(cancellationToken)
            ?? throw new ProjectNotFoundException(projectCode);
        var result = ParcelImport.Convert(input);
        if (!result.Accepted)
        {
            throw new LayerImportRejectedException(result.Problems);
        }

        return await store.ReplaceLayerAsync(projectId, kind, name, result.Parcels, [], cancellationToken);
    }
}
