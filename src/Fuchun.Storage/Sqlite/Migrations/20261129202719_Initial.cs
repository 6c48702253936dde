using System;
using Fuchun.Spatial.IO;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fuchun.Storage.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        private static readonly GeoPackageTable[] Tables =
        [
            new("districts", "区、县（市）", "geom"),
            new("townships", "乡镇（街道）", "geom"),
            new("projects", "土地综合整治项目（项目区）", "geom"),
            new("zones", "整治区", "geom"),
            new("parcels", "地类图斑", "geom"),
            new("reference_features", "参考图层要素", "geom"),
            new("layers", "项目图层"),
            new("project_changes", "项目变更记录"),
        ];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "districts",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    code = table.Column<string>(type: "TEXT", maxLength: 6, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    geom = table.Column<byte[]>(type: "GPKG:MULTIPOLYGON", nullable: false),
                    area_m2 = table.Column<double>(type: "REAL", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_districts", x => x.id);
                    table.UniqueConstraint("ak_districts_code", x => x.code);
                });

            migrationBuilder.CreateTable(
                name: "projects",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    code = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    district_code = table.Column<string>(type: "TEXT", nullable: false),
                    township_codes = table.Column<string>(type: "TEXT", nullable: false),
                    is_pilot = table.Column<bool>(type: "INTEGER", nullable: false),
                    approved_on = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    planned_start = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    planned_completion = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    investment_mode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    funding_sources = table.Column<string>(type: "TEXT", nullable: false),
                    planned_investment_wan_yuan = table.Column<decimal>(type: "TEXT", precision: 14, scale: 2, nullable: true),
                    stage = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    geom = table.Column<byte[]>(type: "GPKG:MULTIPOLYGON", nullable: true),
                    area_m2 = table.Column<double>(type: "REAL", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_projects", x => x.id);
                    table.ForeignKey(
                        name: "fk_projects_districts_district_code",
                        column: x => x.district_code,
                        principalTable: "districts",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "townships",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    code = table.Column<string>(type: "TEXT", maxLength: 9, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    district_code = table.Column<string>(type: "TEXT", nullable: false),
                    geom = table.Column<byte[]>(type: "GPKG:MULTIPOLYGON", nullable: true),
                    shape_is_synthetic = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_townships", x => x.id);
                    table.UniqueConstraint("ak_townships_code", x => x.code);
                    table.ForeignKey(
                        name: "fk_townships_districts_district_code",
                        column: x => x.district_code,
                        principalTable: "districts",
                        principalColumn: "code",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "layers",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    project_id = table.Column<int>(type: "INTEGER", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    feature_count = table.Column<int>(type: "INTEGER", nullable: false),
                    area_m2 = table.Column<double>(type: "REAL", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_layers", x => x.id);
                    table.ForeignKey(
                        name: "fk_layers_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "project_changes",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    project_id = table.Column<int>(type: "INTEGER", nullable: false),
                    at = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    actor = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    before = table.Column<string>(type: "TEXT", nullable: true),
                    after = table.Column<string>(type: "TEXT", nullable: true),
                    comment = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_project_changes", x => x.id);
                    table.ForeignKey(
                        name: "fk_project_changes_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "zones",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    project_id = table.Column<int>(type: "INTEGER", nullable: false),
                    zone_code = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    geom = table.Column<byte[]>(type: "GPKG:MULTIPOLYGON", nullable: false),
                    area_m2 = table.Column<double>(type: "REAL", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_zones", x => x.id);
                    table.ForeignKey(
                        name: "fk_zones_projects_project_id",
                        column: x => x.project_id,
                        principalTable: "projects",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "parcels",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    layer_id = table.Column<int>(type: "INTEGER", nullable: false),
                    dlbm = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    pbf = table.Column<bool>(type: "INTEGER", nullable: false),
                    hsf = table.Column<bool>(type: "INTEGER", nullable: false),
                    zldwdm = table.Column<string>(type: "TEXT", maxLength: 19, nullable: true),
                    area_m2 = table.Column<double>(type: "REAL", nullable: false),
                    attributes_json = table.Column<string>(type: "TEXT", nullable: true),
                    geom = table.Column<byte[]>(type: "GPKG:MULTIPOLYGON", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_parcels", x => x.id);
                    table.ForeignKey(
                        name: "fk_parcels_layers_layer_id",
                        column: x => x.layer_id,
                        principalTable: "layers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "reference_features",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    layer_id = table.Column<int>(type: "INTEGER", nullable: false),
                    kind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    area_m2 = table.Column<double>(type: "REAL", nullable: false),
                    attributes_json = table.Column<string>(type: "TEXT", nullable: true),
                    geom = table.Column<byte[]>(type: "GPKG:MULTIPOLYGON", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_reference_features", x => x.id);
                    table.ForeignKey(
                        name: "fk_reference_features_layers_layer_id",
                        column: x => x.layer_id,
                        principalTable: "layers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_layers_project_id_kind",
                table: "layers",
                columns: new[] { "project_id", "kind" });

            migrationBuilder.CreateIndex(
                name: "ix_parcels_layer_id",
                table: "parcels",
                column: "layer_id");

            migrationBuilder.CreateIndex(
                name: "ix_project_changes_project_id",
                table: "project_changes",
                column: "project_id");

            migrationBuilder.CreateIndex(
                name: "ix_projects_code",
                table: "projects",
                column: "code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_projects_district_code_stage",
                table: "projects",
                columns: new[] { "district_code", "stage" });

            migrationBuilder.CreateIndex(
                name: "ix_reference_features_layer_id",
                table: "reference_features",
                column: "layer_id");

            migrationBuilder.CreateIndex(
                name: "ix_townships_district_code",
                table: "townships",
                column: "district_code");

            migrationBuilder.CreateIndex(
                name: "ix_zones_project_id_zone_code",
                table: "zones",
                columns: new[] { "project_id", "zone_code" },
                unique: true);

            // Make the file an OGC GeoPackage: core metadata tables, then each table registered, feature
            // tables with an R-tree index kept current by triggers.
            migrationBuilder.Sql($"PRAGMA application_id = {GeoPackageSchema.ApplicationId};", suppressTransaction: true);
            migrationBuilder.Sql($"PRAGMA user_version = {GeoPackageSchema.UserVersion};", suppressTransaction: true);
            migrationBuilder.Sql(GeoPackageSchema.CoreSql);
            foreach (var table in Tables)
            {
                migrationBuilder.Sql(GeoPackageSchema.RegisterSql(table));
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in Tables.Where(t => t.GeometryColumn is not null))
            {
                migrationBuilder.Sql($"DROP TABLE rtree_{table.Name}_{table.GeometryColumn};");
            }

            migrationBuilder.Sql("DROP TABLE gpkg_extensions; DROP TABLE gpkg_geometry_columns; DROP TABLE gpkg_contents; DROP TABLE gpkg_spatial_ref_sys;");

            migrationBuilder.DropTable(
                name: "parcels");

            migrationBuilder.DropTable(
                name: "project_changes");

            migrationBuilder.DropTable(
                name: "reference_features");

            migrationBuilder.DropTable(
                name: "townships");

            migrationBuilder.DropTable(
                name: "zones");

            migrationBuilder.DropTable(
                name: "layers");

            migrationBuilder.DropTable(
                name: "projects");

            migrationBuilder.DropTable(
                name: "districts");
        }
    }
}
