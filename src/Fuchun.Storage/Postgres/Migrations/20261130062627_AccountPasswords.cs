using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Fuchun.Storage.Postgres.Migrations
{
    /// <inheritdoc />
    public partial class AccountPasswords : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "failed_sign_ins",
                table: "accounts",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "last_sign_in_at",
                table: "accounts",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "locked_until",
                table: "accounts",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "must_change_password",
                table: "accounts",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "password_hash",
                table: "accounts",
                type: "character varying(200)",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "security_stamp",
                table: "accounts",
                type: "character varying(32)",
                maxLength: 32,
                nullable: false,
                defaultValue: "");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "failed_sign_ins",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "last_sign_in_at",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "locked_until",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "must_change_password",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "password_hash",
                table: "accounts");

            migrationBuilder.DropColumn(
                name: "security_stamp",
                table: "accounts");
        }
    }
}
