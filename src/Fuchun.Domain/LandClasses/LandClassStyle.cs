using System.Globalization;
using System.Xml.Linq;
using Fuchun.Domain.Resources;
using Fuchun.Spatial.IO;

namespace Fuchun.Domain.LandClasses;

/// <summary>
/// The parcels' style for QGIS: a categorised renderer on the land class field with each class's colour from the
/// catalogue (<see cref="LandClass.Colour"/>), so that an exported layer or the embedded store opens in QGIS drawn as
/// the platform's map draws it.
/// </summary>
public static class LandClassStyle
{
    /// <summary>The style for a parcel table whose land class code is in <paramref name="field"/>.</summary>
    public static LayerStyle For(string field) =>
        new(Messages.LandClassStyleName(), Qml(field), Messages.LandClassStyleDescription(field));

    /// <summary>The QML document (QGIS 3) of the style.</summary>
    public static string Qml(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        var classes = LandClassCatalog.All.Values.OrderBy(c => c.Code, StringComparer.Ordinal).ToList();
        var renderer = new XElement("renderer-v2",
            new XAttribute("type", "categorizedSymbol"), new XAttribute("attr", field), new XAttribute("symbollevels", "0"),
            new XAttribute("forceraster", "0"), new XAttribute("enableorderby", "0"),
            new XElement("categories", classes.Select((c, i) => new XElement("category",
                new XAttribute("value", c.Code), new XAttribute("label", $"{c.Code} {c.Name}"),
                new XAttribute("symbol", i.ToString(CultureInfo.InvariantCulture)), new XAttribute("render", "true")))),
            new XElement("symbols", classes.Select((c, i) => Symbol(i.ToString(CultureInfo.InvariantCulture), c.Colour))));
        var document = new XDocument(
            new XDocumentType("qgis", "http://mrcc.com/qgis.dtd", "SYSTEM", null),
            new XElement("qgis", new XAttribute("version", "3.28.0"), new XAttribute("styleCategories", "Symbology"),
                renderer, new XElement("layerGeometryType", "2")));
        return document.ToString();
    }

    /// <summary>
    /// A simple fill in <paramref name="hex"/> with a thin grey outline, written both as the option map QGIS 3.26+
    /// writes and as the properties earlier QGIS 3 versions read.
    /// </summary>
    private static XElement Symbol(string name, string hex)
    {
        var rgba = string.Create(CultureInfo.InvariantCulture,
            $"{Convert.ToInt32(hex[1..3], 16)},{Convert.ToInt32(hex[3..5], 16)},{Convert.ToInt32(hex[5..7], 16)},255");
        (string Key, string Value)[] properties =
        [
            ("color", rgba), ("style", "solid"), ("outline_color", "80,80,80,255"), ("outline_style", "solid"),
            ("outline_width", "0.1"), ("outline_width_unit", "MM"), ("joinstyle", "bevel"),
        ];
        return new XElement("symbol",
            new XAttribute("type", "fill"), new XAttribute("name", name), new XAttribute("alpha", "1"),
            new XAttribute("clip_to_extent", "1"), new XAttribute("force_rhr", "0"),
            new XElement("layer", new XAttribute("class", "SimpleFill"), new XAttribute("enabled", "1"),
                new XAttribute("pass", "0"), new XAttribute("locked", "0"),
                new XElement("Option", new XAttribute("type", "Map"), properties.Select(p => new XElement("Option",
                    new XAttribute("name", p.Key), new XAttribute("type", "QString"), new XAttribute("value", p.Value)))),
                properties.Select(p => new XElement("prop", new XAttribute("k", p.Key), new XAttribute("v", p.Value)))));
    }
}
