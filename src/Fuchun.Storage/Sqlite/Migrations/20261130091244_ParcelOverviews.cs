using Fuchun.Spatial.IO;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fuchun.Storage.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class ParcelOverviews : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "has_overviews",
                table: "layers",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "parcel_overviews",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    layer_id = table.Column<int>(type: "INTEGER", nullable: false),
                    level = table.Column<int>(type: "INTEGER", nullable: false),
                    dlbm = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    geom = table.Column<byte[]>(type: "GPKG:MULTIPOLYGON", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_parcel_overviews", x => x.id);
                    table.ForeignKey(
                        name: "fk_parcel_overviews_layers_layer_id",
                        column: x => x.layer_id,
                        principalTable: "layers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_parcel_overviews_layer_id_level",
                table: "parcel_overviews",
                columns: new[] { "layer_id", "level" });

            // A GeoPackage feature table with its R-tree, as the parcels are.
            migrationBuilder.Sql(GeoPackageSchema.RegisterSql(new GeoPackageTable("parcel_overviews", "地类图斑综合（低缩放级别显示）", "geom")));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(
                "DROP TABLE rtree_parcel_overviews_geom; DELETE FROM gpkg_extensions WHERE table_name = 'parcel_overviews'; " +
                "DELETE FROM gpkg_geometry_columns WHERE table_name = 'parcel_overviews'; DELETE FROM gpkg_contents WHERE table_name = 'parcel_overviews';");

            migrationBuilder.DropTable(
                name: "parcel_overviews");

            migrationBuilder.DropColumn(
                name: "has_overviews",
                table: "layers");
        }
    }
}
