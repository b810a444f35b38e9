using System.Net;
using System.Text.RegularExpressions;

namespace Decoupled.Nn.Text.Clip;

/// <summary>
/// CLIP's text clean-up before BPE: HTML entities decoded (twice, as CLIP's <c>basic_clean</c>
/// does, so doubly escaped text such as <c>&amp;amp;</c> comes out plain), runs of whitespace
/// collapsed to one space, ends trimmed, then lower-cased. CLIP also runs <c>ftfy.fix_text</c>
/// first to repair mojibake; that is out of scope here, so only already well-formed text gives
/// exactly CLIP's tokens.
/// </summary>
public static partial class ClipTextCleaner
{
    /// <summary>The cleaned, lower-cased form of <paramref name="text"/>.</summary>
    public static string Clean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var unescaped = WebUtility.HtmlDecode(WebUtility.HtmlDecode(text));
        return Whitespace().Replace(unescaped, " ").Trim().ToLowerInvariant();
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
