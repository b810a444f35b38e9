using System.Net;
using System.Text;

namespace Decoupled.Cli.Reports;

/// <summary>A small, dependency-free HTML page of sections, figures and tables (the demo's report).</summary>
public sealed class HtmlPage
{
    private readonly StringBuilder body = new();
    private readonly string title;

    /// <summary>Starts a page with a title.</summary>
    public HtmlPage(string title)
    {
        this.title = title;
        body.Append("<h1>").Append(Encode(title)).Append("</h1>\n");
    }

    /// <summary>Adds a section heading.</summary>
    public HtmlPage Heading(string text)
    {
        body.Append("<h2>").Append(Encode(text)).Append("</h2>\n");
        return this;
    }

    /// <summary>Adds a paragraph of plain text.</summary>
    public HtmlPage Paragraph(string text)
    {
        body.Append("<p>").Append(Encode(text)).Append("</p>\n");
        return this;
    }

    /// <summary>Adds a row of captioned images (paths relative to the page).</summary>
    public HtmlPage Figures(IEnumerable<(string Src, string Caption)> images)
    {
        body.Append("<div class=\"row\">\n");
        foreach (var (src, caption) in images)
            body.Append("<figure><img src=\"").Append(Encode(src)).Append("\" alt=\"").Append(Encode(caption))
                .Append("\"><figcaption>").Append(Encode(caption)).Append("</figcaption></figure>\n");
        body.Append("</div>\n");
        return this;
    }

    /// <summary>Adds a table with a header row.</summary>
    public HtmlPage Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        body.Append("<table><tr>");
        foreach (var h in header) body.Append("<th>").Append(Encode(h)).Append("</th>");
        body.Append("</tr>\n");
        foreach (var row in rows)
        {
            body.Append("<tr>");
            foreach (var cell in row) body.Append("<td>").Append(Encode(cell)).Append("</td>");
            body.Append("</tr>\n");
        }
        body.Append("</table>\n");
        return this;
    }

    /// <summary>The complete document.</summary>
    public string Render() =>
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + Encode(title) + "</title>\n<style>" +
        "body{font-family:sans-serif;margin:2em;max-width:1400px}figure{display:inline-block;margin:4px;text-align:center}" +
        "img{image-rendering:pixelated;min-width:128px;border:1px solid #ccc}figcaption{font-size:12px;color:#444}" +
        "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px;text-align:right}" +
        ".row{display:flex;flex-wrap:wrap;align-items:flex-end}" +
        "</style></head><body>\n" + body + "</body></html>\n";

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
