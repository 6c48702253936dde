using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.Data.Sqlite;

namespace Fuchun.Server.Tests;

/// <summary>Reads the QGIS styles the platform writes and holds them to the land classes' colours the API gives.</summary>
internal static class QgisStyles
{
    /// <summary>The QML of the default style QGIS would open <paramref name="table"/> of a GeoPackage with.</summary>
    public static async Task<string> DefaultStyleAsync(string gpkg, string table)
    {
        await using var connection = new SqliteConnection($"Data Source={gpkg};Mode=ReadOnly;Pooling=false");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT styleQML FROM layer_styles WHERE f_table_name = $t AND f_geometry_column = 'geom' AND useAsDefault = 1";
        command.Parameters.AddWithValue("$t", table);
        return (string)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken)
            ?? throw new Xunit.Sdk.XunitException($"no default style for {table} in {gpkg}"));
    }

    /// <summary>The style categorises on <paramref name="field"/> and fills every class in the colour /api/land-classes gives.</summary>
    public static async Task AssertLandClassColoursAsync(HttpClient client, string qml, string field)
    {
        using var classes = JsonDocument.Parse(await client.GetStringAsync("/api/land-classes", TestContext.Current.CancellationToken));
        var colours = classes.RootElement.EnumerateArray().ToDictionary(c => c.GetProperty("code").GetString()!, c => c.GetProperty("colour").GetString()!, StringComparer.Ordinal);
        var renderer = XDocument.Parse(qml).Root!.Element("renderer-v2")!;
        Assert.Equal(field, renderer.Attribute("attr")!.Value);
        var symbols = renderer.Element("symbols")!.Elements("symbol").ToDictionary(s => s.Attribute("name")!.Value);
        var categories = renderer.Element("categories")!.Elements("category").ToList();
        Assert.Equal(colours.Keys.Order(StringComparer.Ordinal), categories.Select(c => c.Attribute("value")!.Value).Order(StringComparer.Ordinal));
        foreach (var category in categories)
        {
            var hex = colours[category.Attribute("value")!.Value];
            var rgba = string.Create(CultureInfo.InvariantCulture, $"{Convert.ToInt32(hex[1..3], 16)},{Convert.ToInt32(hex[3..5], 16)},{Convert.ToInt32(hex[5..7], 16)},255");
            var fill = symbols[category.Attribute("symbol")!.Value].Element("layer")!;
            Assert.Equal(rgba, fill.Elements("prop").Single(p => p.Attribute("k")!.Value == "color").Attribute("v")!.Value);
        }
    }
}
