using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Fuchun.Spatial.Area;

namespace Fuchun.Domain.Policy;

/// <summary>
/// The compliance report as an Excel workbook an official can file: a sheet of verdicts (title, project, edition,
/// then one row per rule with its paragraph, words, verdict as sign and word, value, threshold and explanation) and a
/// sheet of workings (reading, inputs, raw value and unit, threshold, offenders). Written with Microsoft's Open XML
/// SDK; text cells are inline strings, figures are numbers where a reviewer may want to recompute them.
/// </summary>
public static class ComplianceWorkbook
{
    private const uint Plain = 0, Header = 1, Body = 2, Title = 3, Number = 4;

    public static void Write(Stream output, string projectCode, string projectName, PolicyEdition edition, IReadOnlyList<RuleResult> results, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(edition);
        ArgumentNullException.ThrowIfNull(results);
        using var document = SpreadsheetDocument.Create(output, SpreadsheetDocumentType.Workbook);
        var workbook = document.AddWorkbookPart();
        workbook.Workbook = new Workbook(new Sheets());
        var styles = workbook.AddNewPart<WorkbookStylesPart>();
        styles.Stylesheet = Stylesheet();

        var ordered = results.OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
        var stamp = at.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        AddSheet(workbook, 1, "核查结论", [6, 8, 14, 40, 12, 16, 14, 60],
        [
            [(projectName + " 政策规则核查结论", Title)],
            [($"项目编号：{projectCode}　依据：{edition.Title}（配置版本 {edition.Id}）　导出时间：{stamp}", Plain)],
            [],
            [("序号", Header), ("规则", Header), ("条款", Header), ("规则原文", Header), ("结论", Header), ("实测值", Header), ("阈值", Header), ("说明", Header)],
            .. ordered.Select((r, i) => new (object, uint)[]
            {
                (i + 1, Body), (r.Id, Body), (r.Reading.Paragraph, Body), (r.Reading.Quote, Body), (Label(r.Verdict), Body),
                (Shown(r.Value, r.Unit), Body), (Shown(r.Threshold, r.Unit), Body), (r.Detail, Body),
            }),
            [],
            [(string.Join("，", ordered.GroupBy(r => r.Verdict).OrderBy(g => g.Key).Select(g => $"{Label(g.Key)} {g.Count()} 条")), Plain)],
        ]);
        AddSheet(workbook, 2, "计算过程", [8, 60, 40, 18, 8, 14, 60],
        [
            [(projectName + " 规则计算过程", Title)],
            [("面积为 CGCS2000 椭球面积（平方米）；比例为小数（0.05 即 5%）。", Plain)],
            [],
            [("规则", Header), ("读法", Header), ("输入", Header), ("实测值", Header), ("单位", Header), ("阈值", Header), ("问题对象", Header)],
            .. ordered.Select(r => new (object, uint)[]
            {
                (r.Id, Body), (r.Reading.Reading, Body), (string.Join("、", r.Inputs), Body),
                (r.Value is { } v && double.IsFinite(v) ? v : "—", Number), (r.Unit, Body),
                (r.Threshold is { } t ? t : "—", Number), (r.Offenders.Count == 0 ? "—" : string.Join("、", r.Offenders), Body),
            }),
        ]);
        workbook.Workbook.Save();
    }

    /// <summary>A verdict as sign and word, so that it does not rest on colour.</summary>
    public static string Label(Verdict verdict) => verdict switch
    {
        Verdict.Pass => "✔ 通过",
        Verdict.Warn => "⚠ 预警",
        Verdict.Fail => "✘ 不通过",
        Verdict.NotApplicable => "— 不适用",
        _ => "？ 数据不足",
    };

    /// <summary>A value as a reader takes it: ratios in percent, areas in 亩, counts as they are.</summary>
    public static string Shown(double? value, string unit) => value switch
    {
        null => "—",
        { } v when !double.IsFinite(v) => "—",
        { } v when unit == "ratio" => (v * 100).ToString("#,0.00", CultureInfo.InvariantCulture) + "%",
        { } v when unit == "m2" => AreaUnits.ToMu(v).ToString("#,0.00", CultureInfo.InvariantCulture) + " 亩",
        { } v => v.ToString("0.##", CultureInfo.InvariantCulture),
    };

    private static void AddSheet(WorkbookPart workbook, uint id, string name, double[] widths, IEnumerable<(object Value, uint Style)[]> rows)
    {
        var part = workbook.AddNewPart<WorksheetPart>();
        var data = new SheetData();
        uint r = 0;
        foreach (var row in rows)
        {
            r++;
            var line = new Row { RowIndex = r };
            for (var c = 0; c < row.Length; c++)
            {
                var (value, style) = row[c];
                var reference = $"{(char)('A' + c)}{r}";
                line.Append(value switch
                {
                    double d => new Cell { CellReference = reference, DataType = CellValues.Number, CellValue = new CellValue(d), StyleIndex = style },
                    int n => new Cell { CellReference = reference, DataType = CellValues.Number, CellValue = new CellValue(n), StyleIndex = style },
                    _ => new Cell { CellReference = reference, DataType = CellValues.InlineString, InlineString = new InlineString(new Text(value.ToString() ?? "")), StyleIndex = style },
                });
            }

            data.Append(line);
        }

        var columns = new Columns(widths.Select((w, i) => new Column { Min = (uint)(i + 1), Max = (uint)(i + 1), Width = w, CustomWidth = true }));
        part.Worksheet = new Worksheet(
            new SheetViews(new SheetView { WorkbookViewId = 0, Pane = new Pane { VerticalSplit = 4, TopLeftCell = "A5", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen } }),
            columns, data,
            new PageSetup { Orientation = OrientationValues.Landscape, PaperSize = 9 });
        workbook.Workbook.Sheets!.Append(new Sheet { Id = workbook.GetIdOfPart(part), SheetId = id, Name = name });
    }

    private static Stylesheet Stylesheet()
    {
        var thin = new Border(
            new LeftBorder { Style = BorderStyleValues.Thin }, new RightBorder { Style = BorderStyleValues.Thin },
            new TopBorder { Style = BorderStyleValues.Thin }, new BottomBorder { Style = BorderStyleValues.Thin }, new DiagonalBorder());
        return new Stylesheet(
            new Fonts(
                new Font(new FontSize { Val = 11 }, new FontName { Val = "等线" }),
                new Font(new Bold(), new FontSize { Val = 11 }, new FontName { Val = "等线" }),
                new Font(new Bold(), new FontSize { Val = 14 }, new FontName { Val = "等线" })),
            new Fills(
                new Fill(new PatternFill { PatternType = PatternValues.None }),
                new Fill(new PatternFill { PatternType = PatternValues.Gray125 }),
                new Fill(new PatternFill(new ForegroundColor { Rgb = "FFE5E7EB" }) { PatternType = PatternValues.Solid })),
            new Borders(new Border(), thin),
            new CellFormats(
                new CellFormat(),
                new CellFormat(new Alignment { WrapText = true, Vertical = VerticalAlignmentValues.Center, Horizontal = HorizontalAlignmentValues.Center })
                { FontId = 1, FillId = 2, BorderId = 1, ApplyFont = true, ApplyFill = true, ApplyBorder = true, ApplyAlignment = true },
                new CellFormat(new Alignment { WrapText = true, Vertical = VerticalAlignmentValues.Top }) { BorderId = 1, ApplyBorder = true, ApplyAlignment = true },
                new CellFormat { FontId = 2, ApplyFont = true },
                new CellFormat(new Alignment { Vertical = VerticalAlignmentValues.Top }) { BorderId = 1, NumberFormatId = 0, ApplyBorder = true, ApplyAlignment = true }));
    }
}
