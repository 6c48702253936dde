
namespace Fuchun.Storage;

/// <summary>Runs work in one database transaction, joining the caller's transaction when there is one.</summary>
internal static class Transactions
{
    public static async Task<T> InTransactionAsync<T>(this FuchunDbContext db, Func<Task<T>> work, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            return await work();
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        try
        {
            var result = await work();
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        catch
        {
            await transaction.RollbackAsync(CancellationToken.None);
            db.ChangeTracker.Clear();
            throw;
        }
    }
}
