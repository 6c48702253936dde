using System.Globalization;
using System.Xml.Linq;
using Fuchun.Domain.LandClasses;

namespace Fuchun.Domain.Tests.LandClasses;

public sealed class LandClassStyleTests
{
    [Fact]
    public void TheQgisStyle_FillsEveryClassInItsColour_OnTheFieldGiven()
    {
        var root = XDocument.Parse(LandClassStyle.Qml("DLBM")).Root!;
        Assert.Equal("qgis", root.Name.LocalName);
        var renderer = root.Element("renderer-v2")!;
        Assert.Equal("categorizedSymbol", renderer.Attribute("type")!.Value);
        Assert.Equal("DLBM", renderer.Attribute("attr")!.Value);

        var symbols = renderer.Element("symbols")!.Elements("symbol").ToDictionary(s => s.Attribute("name")!.Value);
        var categories = renderer.Element("categories")!.Elements("category").ToList();
        Assert.Equal(LandClassCatalog.All.Keys.Order(StringComparer.Ordinal), categories.Select(c => c.Attribute("value")!.Value));
        foreach (var category in categories)
        {
            var landClass = LandClassCatalog.Get(category.Attribute("value")!.Value);
            Assert.Equal($"{landClass.Code} {landClass.Name}", category.Attribute("label")!.Value);
            var fill = symbols[category.Attribute("symbol")!.Value].Element("layer")!;
            Assert.Equal("SimpleFill", fill.Attribute("class")!.Value);
            var expected = string.Join(',', Enumerable.Range(0, 3).Select(k => int.Parse(landClass.Colour.AsSpan(1 + (2 * k), 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture))) + ",255";
            // Both spellings QGIS 3 reads: the option map and the older properties.
            Assert.Equal(expected, fill.Element("Option")!.Elements("Option").Single(o => o.Attribute("name")!.Value == "color").Attribute("value")!.Value);
            Assert.Equal(expected, fill.Elements("prop").Single(p => p.Attribute("k")!.Value == "color").Attribute("v")!.Value);
        }
    }
}
