namespace Decoupled.Nn.Text.Clip;

/// <summary>
/// What the user supplies for a CLIP encoder: the files of a Hugging Face
/// <c>openai/clip-vit-base-patch32</c> or <c>openai/clip-vit-large-patch14</c> download.
/// Relative paths resolve against the current directory.
/// </summary>
/// <param name="Weights"><c>model.safetensors</c> (full CLIP or text tower only, any of f32/f16/bf16), or the folder holding it.</param>
/// <param name="Vocab">The tokenizer's <c>vocab.json</c>.</param>
/// <param name="Merges">The tokenizer's <c>merges.txt</c>.</param>
/// <param name="Config">Optional <c>config.json</c> for the head count; by default the one beside the weights, if any.</param>
/// <param name="PadTokenId">Padding id; null pads with <c>&lt;|endoftext|&gt;</c> as the openai checkpoints do.</param>
public sealed record ClipTextEncoderFiles(string Weights, string Vocab, string Merges, string? Config = null, int? PadTokenId = null)
{
    /// <summary>The standard file names inside one downloaded model folder.</summary>
    public static ClipTextEncoderFiles FromFolder(string folder) => new(
        Path.Combine(folder, ClipWeights.WeightsFileName),
        Path.Combine(folder, "vocab.json"),
        Path.Combine(folder, "merges.txt"));
}
