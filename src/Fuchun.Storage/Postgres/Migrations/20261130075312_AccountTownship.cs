using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fuchun.Storage.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class AccountTownship : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "township_code",
                table: "accounts",
                type: "character varying(12)",
                maxLength: 12,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "township_code",
                table: "accounts");
        }
    }
}
