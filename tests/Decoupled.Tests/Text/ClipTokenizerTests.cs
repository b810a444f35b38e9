using Decoupled.Nn.Text.Clip;
using Decoupled.Tests.Video;

namespace Decoupled.Tests.Text;

public class ClipTokenizerTests
{
    private static readonly string[] Merges =
    [
        "r e", "re d</w>",
        "s q", "sq u", "squ a", "squa r", "squar e</w>",
        "a b",
        "l e", "le f", "lef t</w>",
    ];

    private sealed class Fixture : IDisposable
    {
        private readonly TempDir dir = new();

        public Fixture(IReadOnlyList<string>? merges = null, int? padId = null)
        {
            var files = ClipTestFiles.WriteTokenizer(dir.Path, merges ?? Merges);
            Ids = files.Ids;
            Tokenizer = ClipTokenizer.FromFiles(files.Vocab, files.Merges, padId);
        }

        public Dictionary<string, int> Ids { get; }

        public ClipTokenizer Tokenizer { get; }

        public int[] Words(params string[] tokens) => tokens.Select(t => Ids[t]).ToArray();

        public void Dispose() => dir.Dispose();
    }

    [Fact]
    public void CleaningUnescapesHtmlCollapsesWhitespaceAndLowerCases()
    {
        Assert.Equal("a&b red square", ClipTextCleaner.Clean("  A&amp;amp;B \n\t Red   SQUARE  "));
        Assert.Equal("", ClipTextCleaner.Clean(" \t\n "));
    }

    [Fact]
    public void CaptionsAreFramedAndPaddedToSeventySevenWithTheEndToken()
    {
        using var f = new Fixture();
        var ids = f.Tokenizer.Encode("Red  SQUARE\n moves left");
        Assert.Equal(77, ids.Length);
        var expectedWords = f.Words("red</w>", "square</w>", "m", "o", "v", "e", "s</w>", "left</w>");
        Assert.Equal(f.Ids[ClipTokenizer.StartToken], ids[0]);
        Assert.Equal(expectedWords, ids[1..9]);
        Assert.All(ids[9..], id => Assert.Equal(f.Ids[ClipTokenizer.EndToken], id));
        Assert.Equal(f.Tokenizer.EndId, f.Tokenizer.PadId);
        // The special tokens sit last, as in the openai vocabulary, so the end token has the highest id.
        Assert.Equal(f.Tokenizer.VocabularySize - 1, f.Tokenizer.EndId);
    }

    [Fact]
    public void WhitespaceAndCaseDoNotChangeTheTokens()
    {
        using var f = new Fixture();
        Assert.Equal(f.Tokenizer.Encode("red square"), f.Tokenizer.Encode("  RED \t\n Square "));
    }

    [Fact]
    public void TheEndOfWordMarkerSitsOnTheLastSymbolOnly()
    {
        using var f = new Fixture();
        // "a b" merges inside a word, but the last symbol of "ab" is "b</w>", for which no merge exists.
        Assert.Equal(f.Words("a", "b</w>"), f.Tokenizer.EncodeWords("ab"));
        Assert.Equal(f.Words("ab", "a", "b</w>"), f.Tokenizer.EncodeWords("abab"));
        Assert.Equal(f.Words("ab", "x</w>"), f.Tokenizer.EncodeWords("abx"));
        Assert.Equal(f.Words("r", "e</w>"), f.Tokenizer.EncodeWords("re"));
    }

    [Fact]
    public void MergesApplyInRankOrder()
    {
        using var abFirst = new Fixture(["a b", "b c</w>"]);
        using var bcFirst = new Fixture(["b c</w>", "a b"]);
        Assert.Equal(abFirst.Words("ab", "c</w>"), abFirst.Tokenizer.EncodeWords("abc"));
        Assert.Equal(bcFirst.Words("a", "bc</w>"), bcFirst.Tokenizer.EncodeWords("abc"));
    }

    [Fact]
    public void ClipsRegexSplitsContractionsDigitsAndPunctuation()
    {
        using var f = new Fixture();
        Assert.Equal(f.Words("i", "t</w>", "'", "s</w>", "1</w>", "2</w>", "!", "?</w>", "red</w>"), f.Tokenizer.EncodeWords("It's 12 !? red"));
    }

    [Fact]
    public void NonAsciiTextIsByteEncoded()
    {
        using var f = new Fixture();
        var bytes = ClipTestFiles.ByteSymbols();
        // é is UTF-8 C3 A9.
        Assert.Equal(f.Words(bytes[0xC3], bytes[0xA9] + "</w>"), f.Tokenizer.EncodeWords("É"));
    }

    [Fact]
    public void SpecialTokensInTheTextMapToTheirIds()
    {
        using var f = new Fixture();
        Assert.Equal([f.Ids["red</w>"], f.Tokenizer.EndId, f.Ids["left</w>"]], f.Tokenizer.EncodeWords("red<|endoftext|>left"));
    }

    [Fact]
    public void LongCaptionsAreCutKeepingTheEndTokenLast()
    {
        using var f = new Fixture();
        int red = f.Ids["red</w>"];
        foreach (int words in new[] { 75, 76, 200 })
        {
            var ids = f.Tokenizer.Encode(string.Join(' ', Enumerable.Repeat("red", words)));
            Assert.Equal(77, ids.Length);
            Assert.Equal(f.Tokenizer.StartId, ids[0]);
            Assert.All(ids[1..76], id => Assert.Equal(red, id));
            Assert.Equal(f.Tokenizer.EndId, ids[76]);
        }
    }

    [Fact]
    public void ThePadIdIsConfigurable()
    {
        using var f = new Fixture(padId: 0);
        var ids = f.Tokenizer.Encode("red");
        Assert.Equal([f.Tokenizer.StartId, f.Ids["red</w>"], f.Tokenizer.EndId], ids[..3]);
        Assert.All(ids[3..], id => Assert.Equal(0, id));
    }

    [Fact]
    public void AnEmptyCaptionIsStartAndEnd()
    {
        using var f = new Fixture();
        var ids = f.Tokenizer.Encode("   ");
        Assert.Equal(f.Tokenizer.StartId, ids[0]);
        Assert.All(ids[1..], id => Assert.Equal(f.Tokenizer.EndId, id));
    }

    [Fact]
    public void MissingOrMalformedFilesAreUserErrorsNamingTheFile()
    {
        using var dir = new TempDir();
        var (vocab, merges, _) = ClipTestFiles.WriteTokenizer(dir.Path, Merges);

        AssertFails(dir.File("none.json"), merges, dir.File("none.json"), "not found");
        AssertFails(vocab, dir.File("none.txt"), dir.File("none.txt"), "not found");

        var array = dir.File("array.json");
        File.WriteAllText(array, "[1, 2, 3]");
        AssertFails(array, merges, array, "not a CLIP vocab.json");

        var truncated = dir.File("truncated.json");
        File.WriteAllText(truncated, "{\"a\": 0, \"b\"");
        AssertFails(truncated, merges, truncated, "not a CLIP vocab.json");

        var noSpecials = dir.File("nospecials.json");
        File.WriteAllText(noSpecials, "{\"a\": 0, \"b\": 1}");
        AssertFails(noSpecials, merges, noSpecials, "lacks the token <|startoftext|>");

        var badLine = dir.File("bad.txt");
        File.WriteAllText(badLine, "#version: 0.2\nr e\nthree symbols here\n");
        AssertFails(vocab, badLine, badLine, "line 3");

        var unknownSymbol = dir.File("unknown.txt");
        File.WriteAllText(unknownSymbol, "#version: 0.2\nr e\nqq zz\n");
        AssertFails(vocab, unknownSymbol, unknownSymbol, "do not fit");

        var empty = dir.File("empty.txt");
        File.WriteAllText(empty, "#version: 0.2\n");
        AssertFails(vocab, empty, empty, "no merges");
    }

    private static void AssertFails(string vocab, string merges, string named, string problem)
    {
        var e = Assert.Throws<UserInputException>(() => ClipTokenizer.FromFiles(vocab, merges));
        Assert.StartsWith(named + ": ", e.Message);
        Assert.Contains(problem, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
