using System.Text;
using Fuchun.Domain.Governance;
using Fuchun.Domain.Layers;
using Fuchun.Domain.Projects;
using Fuchun.Domain.Reference;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fuchun.Storage;

/// <summary>
/// The platform's database: reference data, projects with their zones and history, and project layers.
/// One model for both backends; the subclasses <see cref="Sqlite.SqliteFuchunDbContext"/> (a GeoPackage file)
/// and <see cref="Postgres.PostgresFuchunDbContext"/> (PostGIS) say how geometry is stored and own their migrations.
/// Table and column names are snake_case so that the GeoPackage opens cleanly in QGIS and SQL reads naturally.
/// </summary>
public abstract class FuchunDbContext(DbContextOptions options) : DbContext(options)
{
    private readonly List<AuditEntry> pendingAudit = [];

    public DbSet<District> Districts => Set<District>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<Account> Accounts => Set<Account>();

    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    /// <summary>Where this unit of work's acts come from, for the audit trail: <c>web 10.1.2.3</c>, <c>cli:user</c>, <c>system</c>.</summary>
    public string AuditSource { get; set; } = "system";

    /// <summary>Who acts in this unit of work, for audit entries of acts that name no actor of their own (exports, imports).</summary>
    public string AuditActor { get; set; } = "system";

    /// <summary>The roles <see cref="AuditActor"/> acts in (comma-separated names), when it is a signed-in account.</summary>
    public string? AuditRole { get; set; }

    /// <summary>Appends an entry for an act of <see cref="AuditActor"/> and saves it.</summary>
    public Task AuditAsync(string action, string? subject, string? after, CancellationToken cancellationToken)
    {
        Audit(new AuditEntry(DateTimeOffset.UtcNow, AuditActor, AuditRole, AuditSource, action, subject, null, after));
        return SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Appends <paramref name="entry"/> to the audit trail with the next save: it is chained after the trail's last
    /// entry inside the save's transaction, under a lock, so that concurrent saves cannot fork the chain.
    /// </summary>
    public void Audit(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        AuditEntries.Add(entry);
        pendingAudit.Add(entry);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) => pendingAudit.Count == 0
        ? base.SaveChanges(acceptAllChangesOnSuccess)
        : throw new InvalidOperationException("audit entries are saved with SaveChangesAsync");

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        if (pendingAudit.Count == 0)
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        try
        {
            return await this.InTransactionAsync(async () =>
            {
                await LockAuditChainAsync(cancellationToken);
                var last = await AuditEntries.AsNoTracking().OrderByDescending(e => e.Sequence)
                    .Select(e => new { e.Sequence, e.Hash }).FirstOrDefaultAsync(cancellationToken);
                var (sequence, hash) = last is null ? (0L, "") : (last.Sequence, last.Hash);
                foreach (var entry in pendingAudit)
                {
                    entry.Chain(sequence, hash);
                    (sequence, hash) = (entry.Sequence, entry.Hash);
                }

                return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            }, cancellationToken);
        }
        finally
        {
            // Saved entries, and entries a failed save let go of, are no longer pending; the rest are chained anew.
            pendingAudit.RemoveAll(e => Entry(e).State is EntityState.Unchanged or EntityState.Detached);
        }
    }

    /// <summary>Serialises appends to the audit trail until the transaction ends (SQLite's writer lock already does).</summary>
    protected abstract Task LockAuditChainAsync(CancellationToken cancellationToken);

    public DbSet<Township> Townships => Set<Township>();

    public DbSet<ConsolidationProject> Projects => Set<ConsolidationProject>();

    public DbSet<Zone> Zones => Set<Zone>();

    public DbSet<ProjectChange> ProjectChanges => Set<ProjectChange>();

    public DbSet<Domain.Planning.Plan> Plans => Set<Domain.Planning.Plan>();

    public DbSet<ProjectDocument> ProjectDocuments => Set<ProjectDocument>();

    public DbSet<Layer> Layers => Set<Layer>();

    public DbSet<Parcel> Parcels => Set<Parcel>();

    public DbSet<ReferenceFeature> ReferenceFeatures => Set<ReferenceFeature>();

    public DbSet<ParcelOverview> ParcelOverviews => Set<ParcelOverview>();

    /// <summary>Which backend this is.</summary>
    public abstract DatabaseProvider Provider { get; }

    /// <summary>Maps a geometry property (MultiPolygon, EPSG:4490) and gives it a spatial index.</summary>
    protected abstract void ConfigureGeometry(EntityTypeBuilder entity, PropertyBuilder geometry);

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);

        modelBuilder.Entity<District>(e =>
        {
            e.ToTable("districts");
            e.HasKey(x => x.Id);
            e.HasAlternateKey(x => x.Code);
            e.Property(x => x.Code).HasMaxLength(6);
            e.Property(x => x.Name).HasMaxLength(50);
            ConfigureGeometry(e, e.Property(x => x.Boundary));
        });

        modelBuilder.Entity<Township>(e =>
        {
            e.ToTable("townships");
            e.HasKey(x => x.Id);
            e.HasAlternateKey(x => x.Code);
            e.Property(x => x.Code).HasMaxLength(9);
            e.Property(x => x.Name).HasMaxLength(50);
            e.HasOne<District>().WithMany().HasForeignKey(x => x.DistrictCode).HasPrincipalKey(d => d.Code);
            ConfigureGeometry(e, e.Property(x => x.Shape));
        });

        modelBuilder.Entity<ConsolidationProject>(e =>
        {
            e.ToTable("projects");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.Code).IsUnique();
            e.HasIndex(x => new { x.DistrictCode, x.Stage });
            e.Property(x => x.Code).HasMaxLength(40);
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.Stage).HasConversion<string>().HasMaxLength(32);
            e.Property(x => x.InvestmentMode).HasConversion<string>().HasMaxLength(32);
            e.PrimitiveCollection(x => x.FundingSources).ElementType().HasConversion<string>();
            e.Property(x => x.PlannedInvestmentWanYuan).HasPrecision(14, 2);
            e.HasOne<District>().WithMany().HasForeignKey(x => x.DistrictCode).HasPrincipalKey(d => d.Code);
            e.HasMany(x => x.Zones).WithOne().HasForeignKey(x => x.ProjectId).OnDelete(DeleteBehavior.Cascade);
            e.Navigation(x => x.Zones).HasField("zones").UsePropertyAccessMode(PropertyAccessMode.Field);
            e.Ignore(x => x.Details);
            ConfigureGeometry(e, e.Property(x => x.ProjectArea));
        });

        modelBuilder.Entity<Zone>(e =>
        {
            e.ToTable("zones");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.ProjectId, x.ZoneCode }).IsUnique();
            e.Property(x => x.ZoneCode).HasMaxLength(40);
            e.Property(x => x.Name).HasMaxLength(100);
            ConfigureGeometry(e, e.Property(x => x.Geometry));
        });

        modelBuilder.Entity<ProjectDocument>(e =>
        {
            e.ToTable("project_documents");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.ProjectId, x.Kind });
            e.Property(x => x.Kind).HasMaxLength(40);
            e.Property(x => x.Stage).HasConversion<string>().HasMaxLength(32);
            e.Property(x => x.FileName).HasMaxLength(200);
            e.Property(x => x.ContentType).HasMaxLength(100);
            e.Property(x => x.Sha256).HasMaxLength(64);
            e.Property(x => x.StoredName).HasMaxLength(32);
            e.Property(x => x.UploadedBy).HasMaxLength(64);
            e.HasOne<ConsolidationProject>().WithMany().HasForeignKey(x => x.ProjectId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<Domain.Planning.Plan>(e =>
        {
            e.ToTable("plans");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.Code).IsUnique();
            e.HasIndex(x => new { x.DistrictCode, x.Level, x.StartYear });
            e.Property(x => x.Code).HasMaxLength(40);
            e.Property(x => x.Name).HasMaxLength(200);
            e.Property(x => x.DistrictCode).HasMaxLength(6);
            e.Property(x => x.ParentCode).HasMaxLength(40);
            e.Property(x => x.Level).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            e.Property(x => x.ApprovedBy).HasMaxLength(64);
            e.Property(x => x.ReturnReason).HasMaxLength(1000);
            e.PrimitiveCollection(x => x.ProjectCodes);
            e.Ignore(x => x.IsEditable);
        });

        modelBuilder.Entity<Account>(e =>
        {
            e.ToTable("accounts");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.UserName).IsUnique();
            e.Property(x => x.UserName).HasMaxLength(64);
            e.Property(x => x.DisplayName).HasMaxLength(100);
            e.Property(x => x.DistrictCode).HasMaxLength(6);
            e.Property(x => x.TownshipCode).HasMaxLength(12);
            e.Property(x => x.PasswordHash).HasMaxLength(200);
            e.Property(x => x.SecurityStamp).HasMaxLength(32);
            e.PrimitiveCollection(x => x.Roles).ElementType().HasConversion<string>();
        });

        modelBuilder.Entity<ApiToken>(e =>
        {
            e.ToTable("api_tokens");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.TokenHash).IsUnique();
            e.Property(x => x.Name).HasMaxLength(100);
            e.Property(x => x.TokenHash).HasMaxLength(64);
            e.HasOne<Account>().WithMany().HasForeignKey(x => x.AccountId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<AuditEntry>(e =>
        {
            e.ToTable("audit_log");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.Sequence).IsUnique();
            e.HasIndex(x => x.At);
            e.Property(x => x.Actor).HasMaxLength(100);
            e.Property(x => x.Role).HasMaxLength(32);
            e.Property(x => x.Source).HasMaxLength(100);
            e.Property(x => x.Action).HasMaxLength(64);
            e.Property(x => x.Subject).HasMaxLength(100);
            e.Property(x => x.PreviousHash).HasMaxLength(64);
            e.Property(x => x.Hash).HasMaxLength(64);
        });

        modelBuilder.Entity<ProjectChange>(e =>
        {
            e.ToTable("project_changes");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.ProjectId);
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(32);
            e.Property(x => x.Actor).HasMaxLength(100);
            e.HasOne<ConsolidationProject>().WithMany().HasForeignKey(x => x.ProjectId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<Layer>(e =>
        {
            e.ToTable("layers");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.ProjectId, x.Kind });
            e.Property(x => x.Kind).HasConversion<string>().HasMaxLength(32);
            e.Property(x => x.Name).HasMaxLength(100);
            e.Ignore(x => x.TilesMinZoom);
            e.Ignore(x => x.ParcelTilesMinZoom);
            e.HasOne<ConsolidationProject>().WithMany().HasForeignKey(x => x.ProjectId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<ParcelOverview>(e =>
        {
            e.ToTable("parcel_overviews");
            e.HasKey(x => x.Id);
            e.HasIndex(x => new { x.LayerId, x.Level });
            e.Property(x => x.LandClass).HasColumnName("dlbm").HasMaxLength(8);
            e.HasOne<Layer>().WithMany().HasForeignKey(x => x.LayerId).OnDelete(DeleteBehavior.Cascade);
            ConfigureGeometry(e, e.Property(x => x.Geometry));
        });

        modelBuilder.Entity<Parcel>(e =>
        {
            e.ToTable("parcels");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.LayerId);
            e.Property(x => x.LandClass).HasColumnName("dlbm").HasMaxLength(8);
            e.Property(x => x.IsPbf).HasColumnName("pbf");
            e.Property(x => x.IsHighStandard).HasColumnName("hsf");
            e.Property(x => x.LocationCode).HasColumnName("zldwdm").HasMaxLength(19);
            // Through the property: it also holds the attributes an import keeps as UTF-8 until a string is asked for.
            e.Property(x => x.AttributesJson).UsePropertyAccessMode(PropertyAccessMode.Property);
            e.HasOne<Layer>().WithMany().HasForeignKey(x => x.LayerId).OnDelete(DeleteBehavior.Cascade);
            // Through the property too: a parcel an import made may hold only its shell until the geometry is asked for.
            ConfigureGeometry(e, e.Property(x => x.Geometry).UsePropertyAccessMode(PropertyAccessMode.Property));
        });

        modelBuilder.Entity<ReferenceFeature>(e =>
        {
            e.ToTable("reference_features");
            e.HasKey(x => x.Id);
            e.HasIndex(x => x.LayerId);
            e.Property(x => x.Kind).HasMaxLength(32);
            e.Property(x => x.Name).HasMaxLength(100);
            e.HasOne<Layer>().WithMany().HasForeignKey(x => x.LayerId).OnDelete(DeleteBehavior.Cascade);
            ConfigureGeometry(e, e.Property(x => x.Geometry));
        });

        ApplySnakeCase(modelBuilder);
    }

    private static void ApplySnakeCase(ModelBuilder modelBuilder)
    {
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
            {
                if (property.GetColumnName() == property.Name)
                {
                    property.SetColumnName(SnakeCase(property.Name));
                }
            }

            foreach (var key in entity.GetKeys())
            {
                key.SetName(SnakeCase(key.GetDefaultName() ?? key.GetName()!));
            }

            foreach (var fk in entity.GetForeignKeys())
            {
                fk.SetConstraintName(SnakeCase(fk.GetDefaultName() ?? fk.GetConstraintName()!));
            }

            foreach (var index in entity.GetIndexes())
            {
                index.SetDatabaseName(SnakeCase(index.GetDefaultDatabaseName() ?? index.GetDatabaseName()!));
            }
        }
    }

    internal static string SnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && name[i - 1] != '_' && (char.IsLower(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
                {
                    sb.Append('_');
                }

                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}

/// <summary>The two storage backends.</summary>
public enum DatabaseProvider
{
    /// <summary>The embedded default: one SQLite file laid out as an OGC GeoPackage.</summary>
    Sqlite,

    /// <summary>PostgreSQL 15 with PostGIS 3.</summary>
    Postgres,
}
