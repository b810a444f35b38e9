using Decoupled.Nn.Moso;
using Decoupled.Pipelines.Checkpoints;
using static TorchSharp.torch;

namespace Decoupled.Pipelines.Moso;

/// <summary>
/// Puts the decoder of a decoder-only fine-tuned MOSO-VQVAE run (<c>train --finetune-decoder</c>)
/// into the VQ-VAE a MOSO-Transformer was trained over. Its tokens must be exactly those the
/// transformer learnt, so the encoders and codebook of both must be equal, weight for weight.
/// </summary>
public static class MosoDecoderReplacement
{
    /// <summary>
    /// Copies the decoder side of the MOSO-VQVAE checkpoint <paramref name="checkpoint"/> (its EMA
    /// weights when it has them and <paramref name="preferEma"/>) into <paramref name="target"/>;
    /// a <see cref="UserInputException"/> when the two do not tokenise alike.
    /// </summary>
    public static void Apply(MosoVqVae target, string checkpoint, bool preferEma = true)
    {
        ArgumentNullException.ThrowIfNull(target);
        var (config, source) = MosoVqVaeModel.Load(checkpoint, preferEma);
        try
        {
            if (config.Net != target.Config)
                throw new UserInputException($"{checkpoint}: its VQ-VAE config differs from the one the transformer was trained over");
            var sourceTokenizer = source.TokenizerState().ToDictionary(s => s.Name, s => s.Value);
            foreach (var (name, value) in target.TokenizerState())
                if (!SameValues(value, sourceTokenizer[name]))
                    throw new UserInputException($"{checkpoint}: its encoders or codebook differ from those the transformer was trained over ('{name}'), so its tokens would too; fine-tune the decoder with train --finetune-decoder from that VQ-VAE");
            // The tokenizer entries are equal, so loading the whole state changes the decoder side alone.
            target.load_state_dict(source.state_dict());
        }
        finally
        {
            source.Dispose();
        }
    }

    /// <summary>
    /// Writes an inference checkpoint of the MOSO-Transformer <paramref name="transformerCheckpoint"/>
    /// whose VQ-VAE decodes with the decoder of <paramref name="decoderCheckpoint"/> (see
    /// <see cref="Apply"/>); its config records the decoder's source. Weights as in
    /// <see cref="CheckpointFolder.ExportForInference"/>.
    /// </summary>
    public static void Export(string transformerCheckpoint, string decoderCheckpoint, string destination, bool useEma = true, ScalarType? floatType = null)
    {
        var model = MosoTransformerModel.Load(transformerCheckpoint, useEma);
        Apply(model.TrainingNetwork.VqVae, decoderCheckpoint, useEma);
        var config = model.Config with { VqVae = model.Config.VqVae with { DecoderFinetunedFrom = Path.GetFullPath(decoderCheckpoint) } };
        var staging = Directory.CreateTempSubdirectory("decoupled-export-").FullName;
        try
        {
            CheckpointFolder.Save(staging, config, model.Network);
            CheckpointFolder.ExportForInference(staging, destination, useEma: false, floatType);
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
            model.Network.Dispose();
        }
    }

    private static bool SameValues(Tensor a, Tensor b)
    {
        if (!a.shape.SequenceEqual(b.shape) || a.dtype != b.dtype) return false;
        using var scope = NewDisposeScope();
        return a.eq(b).all().item<bool>();
    }
}
