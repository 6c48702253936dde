using Microsoft.EntityFrameworkCore.Migrations;
using NetTopologySuite.Geometries;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Fuchun.Storage.Postgres.Migrations
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
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "parcel_overviews",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    layer_id = table.Column<int>(type: "integer", nullable: false),
                    level = table.Column<int>(type: "integer", nullable: false),
                    dlbm = table.Column<string>(type: "character varying(8)", maxLength: 8, nullable: false),
                    geom = table.Column<MultiPolygon>(type: "geometry(MultiPolygon,4490)", nullable: false)
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
                name: "ix_parcel_overviews_geom",
                table: "parcel_overviews",
                column: "geom")
                .Annotation("Npgsql:IndexMethod", "gist");

            migrationBuilder.CreateIndex(
                name: "ix_parcel_overviews_layer_id_level",
                table: "parcel_overviews",
                columns: new[] { "layer_id", "level" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "parcel_overviews");

            migrationBuilder.DropColumn(
                name: "has_overviews",
                table: "layers");
        }
    }
}
