using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Decoupled.Nn.Text.Small;

/// <summary>
/// Captions to hashed token rows for <see cref="SmallTextModel"/>. Text is lower-cased and its
/// whitespace collapsed (so "Red  Square" and "red square" agree), then split by the GPT-4 cl100k
/// BPE from Microsoft.ML.Tokenizers (its data ships in a package, so this works offline).
/// <para>
/// Why hashing: cl100k has ~100 k ids, but a caption set uses a few hundred. Each id is hashed
/// twice into <see cref="SmallTextEncoderConfig.HashBuckets"/> rows and the two rows are summed
/// (a "hash embedding"): no vocabulary has to be built or stored with the model, any caption
/// encodes, and two ids share both rows only with odds of about 1 / buckets², so collisions that
/// would merge two words are negligible. Row 0 is the start slot every caption begins with (so
/// even an empty caption has one token to pool) and the value under padding.
/// </para>
/// </summary>
public sealed partial class HashedCaptionTokenizer
{
    /// <summary>Hashes per token; their rows are summed.</summary>
    public const int HashesPerToken = 2;

    private static readonly Lazy<Tokenizer> Cl100k = new(() => TiktokenTokenizer.CreateForModel("gpt-4"));

    // Fixed salts: changing them would scramble every trained checkpoint's embedding rows.
    private static readonly ulong[] Salts = [0x9E3779B97F4A7C15UL, 0xD1B54A32D192ED03UL];

    /// <summary>Creates a tokenizer for <paramref name="maxLength"/> slots and <paramref name="buckets"/> rows.</summary>
    public HashedCaptionTokenizer(int maxLength, int buckets)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 1);
        MaxLength = maxLength;
        Buckets = buckets;
    }

    /// <summary>Slots per caption, the start slot included.</summary>
    public int MaxLength { get; }

    /// <summary>Hash rows 1..<see cref="Buckets"/>; row 0 is the start slot.</summary>
    public int Buckets { get; }

    /// <summary>The cl100k ids of <paramref name="caption"/> after lower-casing and whitespace clean-up.</summary>
    public static IReadOnlyList<int> Cl100kIds(string caption)
    {
        ArgumentNullException.ThrowIfNull(caption);
        var clean = Whitespace().Replace(caption, " ").Trim().ToLowerInvariant();
        return Cl100k.Value.EncodeToIds(clean);
    }

    /// <summary>The embedding row (1..<see cref="Buckets"/>) of cl100k id <paramref name="id"/> under hash <paramref name="hash"/>.</summary>
    public int Row(int id, int hash) => 1 + (int)(Mix((ulong)id ^ Salts[hash]) % (ulong)Buckets);

    /// <summary>
    /// Rows [B, <see cref="MaxLength"/>, <see cref="HashesPerToken"/>] and a mask [B,
    /// <see cref="MaxLength"/>] (true at the start slot and real tokens) for
    /// <paramref name="captions"/>; tokens past <see cref="MaxLength"/> - 1 are dropped.
    /// </summary>
    public (long[] Rows, bool[] Mask) Encode(IReadOnlyList<string> captions)
    {
        ArgumentNullException.ThrowIfNull(captions);
        var rows = new long[captions.Count * MaxLength * HashesPerToken];
        var mask = new bool[captions.Count * MaxLength];
        for (int b = 0; b < captions.Count; b++)
        {
            var ids = Cl100kIds(captions[b]);
            int kept = Math.Min(ids.Count, MaxLength - 1);
            mask[b * MaxLength] = true;
            for (int i = 0; i < kept; i++)
            {
                int slot = b * MaxLength + 1 + i;
                mask[slot] = true;
                for (int h = 0; h < HashesPerToken; h++)
                    rows[slot * HashesPerToken + h] = Row(ids[i], h);
            }
        }
        return (rows, mask);
    }

    /// <summary>SplitMix64's finalizer: every input bit flips about half the output bits.</summary>
    private static ulong Mix(ulong x)
    {
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
