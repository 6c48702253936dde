using Fuchun.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.Extensions.DependencyInjection;

namespace Fuchun.Storage.Tests;

/// <summary>
/// The contexts start from compiled models (generated code, quicker to load than running the configuration), so
/// nothing else tells when one falls behind the configuration in <c>OnModelCreating</c>: this does. After a model
/// change, regenerate them with
/// <c>dotnet ef dbcontext optimize --project src/Fuchun.Storage --context PostgresFuchunDbContext --output-dir Postgres/CompiledModel --namespace Fuchun.Storage.Postgres.CompiledModel</c>
/// and the same for <c>SqliteFuchunDbContext</c> (<c>Sqlite/CompiledModel</c>).
/// </summary>
public sealed class CompiledModelTests
{
    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.Postgres)]
    public async Task EachContext_RunsOnItsCompiledModel_AndItMatchesTheConfigurationAndTheMigrations(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var scope = database.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<FuchunDbContext>();

        Assert.EndsWith(".CompiledModel", db.Model.GetType().Namespace, StringComparison.Ordinal);
        var configured = db.GetService<IDesignTimeModel>().Model;
        Assert.NotSame(configured, db.Model);
        Assert.Equal(Describe(configured), Describe(db.Model));

        // Commands migrate only when a migration is pending, so the check that used to run with every migration
        // (the configuration against the last migration's snapshot) is made here.
        Assert.False(db.Database.HasPendingModelChanges(), $"{db.GetType().Name}: the configuration has changes no migration holds");
    }

    /// <summary>What the database and the mapping see of a model: tables, columns, keys, indexes, foreign keys, and each property's type, converter and limits.</summary>
    private static List<string> Describe(IModel model)
    {
        var relational = model.GetRelationalModel();
        var lines = relational.Tables.SelectMany(t => t.Columns
                .Select(c => $"{t.SchemaQualifiedName}.{c.Name} {c.StoreType} {(c.IsNullable ? "null" : "not null")} {c.DefaultValueSql} {c.ComputedColumnSql}")
                .Concat(t.Indexes.Select(i => $"{t.Name} index {i.Name} ({string.Join(", ", i.Columns.Select(c => c.Name))}){(i.IsUnique ? " unique" : "")} {i.Filter}"))
                .Concat(t.ForeignKeyConstraints.Select(f => $"{t.Name} fk {f.Name} ({string.Join(", ", f.Columns.Select(c => c.Name))}) -> {f.PrincipalTable.Name} {f.OnDeleteAction}"))
                .Concat(t.UniqueConstraints.Select(u => $"{t.Name} key {u.Name} ({string.Join(", ", u.Columns.Select(c => c.Name))})")))
            .Concat(relational.Sequences.Select(q => $"sequence {q.Name} {q.StartValue} {q.IncrementBy}"))
            .Concat(model.GetEntityTypes().SelectMany(e => e.GetProperties().Select(p =>
                $"{e.Name}.{p.Name} {p.ClrType} {p.GetValueConverter()?.GetType().Name} {p.GetMaxLength()} {p.IsNullable} {p.ValueGenerated} {p.IsConcurrencyToken}")))
            .ToList();
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }
}
