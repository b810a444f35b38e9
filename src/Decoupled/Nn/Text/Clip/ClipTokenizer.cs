using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Decoupled.Nn.Text.Clip;

/// <summary>
/// CLIP's byte-level BPE tokenizer, read from the <c>vocab.json</c> and <c>merges.txt</c> of a
/// Hugging Face <c>openai/clip-vit-*</c> repository. A caption is cleaned
/// (<see cref="ClipTextCleaner"/>), split with CLIP's regular expression, each piece byte-encoded
/// with GPT-2's bytes-to-unicode table and merged by rank with <c>&lt;/w&gt;</c> on its last
/// symbol; the ids are framed by <c>&lt;|startoftext|&gt;</c> and <c>&lt;|endoftext|&gt;</c>,
/// truncated to <see cref="ContextLength"/> (the end token kept last) and padded.
/// <para>
/// The BPE itself is Microsoft.ML.Tokenizers' <see cref="BpeTokenizer"/> with byte-level
/// encoding and the <c>&lt;/w&gt;</c> end-of-word suffix: it applies the same rank-ordered,
/// all-occurrences merges as CLIP's <c>bpe()</c>. Cleaning is done here rather than through its
/// normalizer, so the pre-tokenizer sees exactly the string CLIP's regex sees.
/// </para>
/// </summary>
public sealed partial class ClipTokenizer
{
    /// <summary>The start-of-text token.</summary>
    public const string StartToken = "<|startoftext|>";

    /// <summary>The end-of-text token, which the openai checkpoints also pad with.</summary>
    public const string EndToken = "<|endoftext|>";

    /// <summary>CLIP's context length.</summary>
    public const int DefaultContextLength = 77;

    private readonly BpeTokenizer bpe;

    private ClipTokenizer(BpeTokenizer bpe, int startId, int endId, int padId, int contextLength, int vocabularySize)
    {
        this.bpe = bpe;
        StartId = startId;
        EndId = endId;
        PadId = padId;
        ContextLength = contextLength;
        VocabularySize = vocabularySize;
    }

    /// <summary>Id of <see cref="StartToken"/> (49406 in the openai vocabulary).</summary>
    public int StartId { get; }

    /// <summary>Id of <see cref="EndToken"/> (49407 in the openai vocabulary).</summary>
    public int EndId { get; }

    /// <summary>Id written after the end token up to <see cref="ContextLength"/>.</summary>
    public int PadId { get; }

    /// <summary>Length of every encoded caption, framing tokens and padding included.</summary>
    public int ContextLength { get; }

    /// <summary>Number of entries in <c>vocab.json</c>.</summary>
    public int VocabularySize { get; }

    /// <summary>
    /// Reads <paramref name="vocabPath"/> (<c>vocab.json</c>: token to id) and
    /// <paramref name="mergesPath"/> (<c>merges.txt</c>: an optional <c>#version</c> line, then one
    /// "left right" pair per line, best rank first). <paramref name="padId"/> defaults to the end
    /// token's id, as for the openai checkpoints. A missing or malformed file throws a
    /// <see cref="UserInputException"/> naming it.
    /// </summary>
    public static ClipTokenizer FromFiles(string vocabPath, string mergesPath, int? padId = null, int contextLength = DefaultContextLength)
    {
        if (contextLength < 2)
            throw new ArgumentOutOfRangeException(nameof(contextLength), contextLength, "must hold at least the start and end tokens");
        var vocab = ReadVocabulary(vocabPath);
        var merges = ReadMerges(mergesPath);
        int startId = SpecialId(vocab, StartToken, vocabPath);
        int endId = SpecialId(vocab, EndToken, vocabPath);
        int pad = padId ?? endId;
        if (pad < 0 || pad >= vocab.Count)
            throw new ArgumentOutOfRangeException(nameof(padId), pad, $"must be an id of {vocabPath} (0..{vocab.Count - 1})");

        var specials = new Dictionary<string, int>(StringComparer.Ordinal) { [StartToken] = startId, [EndToken] = endId };
        var options = new BpeOptions(vocab)
        {
            Merges = merges,
            SpecialTokens = specials,
            PreTokenizer = new RegexPreTokenizer(Pieces(), specials),
            EndOfWordSuffix = "</w>",
            ByteLevel = true,
        };
        BpeTokenizer bpe;
        try
        {
            bpe = BpeTokenizer.Create(options);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or KeyNotFoundException or FormatException)
        {
            throw new UserInputException($"{mergesPath}: merges do not fit {vocabPath} ({e.Message})", e);
        }
        return new ClipTokenizer(bpe, startId, endId, pad, contextLength, vocab.Count);
    }

    /// <summary>The BPE ids of <paramref name="caption"/> without framing, truncation or padding.</summary>
    public IReadOnlyList<int> EncodeWords(string caption) =>
        bpe.EncodeToIds(ClipTextCleaner.Clean(caption), considerPreTokenization: true, considerNormalization: false);

    /// <summary>
    /// <paramref name="caption"/> as exactly <see cref="ContextLength"/> ids: start token, BPE ids
    /// (cut so that the end token still fits), end token, then <see cref="PadId"/>.
    /// </summary>
    public int[] Encode(string caption)
    {
        var words = EncodeWords(caption);
        int kept = Math.Min(words.Count, ContextLength - 2);
        var ids = new int[ContextLength];
        ids[0] = StartId;
        for (int i = 0; i < kept; i++)
            ids[i + 1] = words[i];
        ids[kept + 1] = EndId;
        Array.Fill(ids, PadId, kept + 2, ContextLength - kept - 2);
        return ids;
    }

    private static Dictionary<string, int> ReadVocabulary(string path)
    {
        Dictionary<string, int>? vocab;
        try
        {
            using var stream = File.OpenRead(path);
            vocab = JsonSerializer.Deserialize<Dictionary<string, int>>(stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new UserInputException($"{path}: vocabulary file not found", e);
        }
        catch (JsonException e)
        {
            throw new UserInputException($"{path}: not a CLIP vocab.json (a JSON object of token to id): {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"{path}: cannot read ({e.Message})", e);
        }
        if (vocab is null || vocab.Count == 0)
            throw new UserInputException($"{path}: not a CLIP vocab.json: it holds no tokens");
        var ids = new HashSet<int>();
        foreach (var (token, id) in vocab)
        {
            if (id < 0 || id >= vocab.Count || !ids.Add(id))
                throw new UserInputException($"{path}: not a CLIP vocab.json: ids must be 0..{vocab.Count - 1} without repeats, but '{token}' has {id}");
        }
        return vocab;
    }

    private static List<string> ReadMerges(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new UserInputException($"{path}: merges file not found", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"{path}: cannot read ({e.Message})", e);
        }
        var merges = new List<string>(lines.Length);
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0 || (i == 0 && line.StartsWith("#version", StringComparison.Ordinal)))
                continue;
            var parts = line.Split(' ');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                throw new UserInputException($"{path}: line {i + 1} is not a merge of two symbols separated by one space: '{line}'");
            merges.Add(line);
        }
        if (merges.Count == 0)
            throw new UserInputException($"{path}: holds no merges");
        return merges;
    }

    private static int SpecialId(Dictionary<string, int> vocab, string token, string path) =>
        vocab.TryGetValue(token, out int id) ? id : throw new UserInputException($"{path}: not a CLIP vocab.json: it lacks the token {token}");

    /// <summary>CLIP's split; the input is already lower-cased, so CLIP's IGNORECASE changes nothing.</summary>
    [GeneratedRegex(@"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+")]
    private static partial Regex Pieces();
}
