using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fuchun.Storage.Sqlite.Migrations
{
    /// <inheritdoc />
    public partial class Plans : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "plans",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    code = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    level = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    district_code = table.Column<string>(type: "TEXT", maxLength: 6, nullable: true),
                    parent_code = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    start_year = table.Column<int>(type: "INTEGER", nullable: false),
                    end_year = table.Column<int>(type: "INTEGER", nullable: false),
                    project_codes = table.Column<string>(type: "TEXT", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    approved_by = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    approved_at = table.Column<string>(type: "TEXT", nullable: true),
                    return_reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    created_at = table.Column<string>(type: "TEXT", nullable: false),
                    updated_at = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_plans", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_plans_code",
                table: "plans",
                column: "code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_plans_district_code_level_start_year",
                table: "plans",
                columns: new[] { "district_code", "level", "start_year" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "plans");
        }
    }
}
