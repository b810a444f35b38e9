using Decoupled.Nn.Moso;
using Decoupled.Pipelines.Moso;
using Decoupled.Tests.Nn;
using TorchSharp;

namespace Decoupled.Tests.Moso;

/// <summary>Tiny MOSO configurations for pipeline tests: 8 frames of 32x32, a 32-entry codebook.</summary>
internal static class MosoPipelineTesting
{
    public static MosoVqVaeTrainingConfig VqVaeConfig(bool decomposed = true) => new()
    {
        Net = new MosoVqVaeNetConfig
        {
            Frames = 8, Height = 32, Width = 32, ContentDownsample = 4, MotionDownsample = 8, Hidden = 16, ResidualLayers = 1, ResidualHidden = 8,
            CodebookSize = 32, CodeDim = 8, MotionPool = 2, MotionHeads = 2, Decomposed = decomposed,
        },
        PreprocessSteps = 1,
    };

    public static MosoTransformerConfig TransformerConfig(MosoVqVaeTrainingConfig vqvae)
    {
        var (scene, motion) = MosoTokens.GridSizes(vqvae.Net);
        return new MosoTransformerConfig
        {
            VqVae = vqvae,
            Net = new MosoTransformerNetConfig
            {
                CodebookSize = vqvae.Net.CodebookSize, SceneTokens = scene, MotionFrames = vqvae.Frames, MotionTokensPerFrame = motion,
                Width = 16, Heads = 2, SceneObjectLayers = 1, MotionLayers = 1, MlpWidth = 32, Decomposed = vqvae.Net.Decomposed,
            },
            ContextFrames = 2,
            EndFrames = 2,
        };
    }

    /// <summary>Same shape and exactly the same values.</summary>
    public static bool Same(torch.Tensor a, torch.Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    /// <summary>A transformer model over a randomly initialised (perturbed) VQ-VAE.</summary>
    public static MosoTransformerModel Model(bool decomposed = true, long seed = 1)
    {
        torch.manual_seed(seed);
        var vqvaeConfig = VqVaeConfig(decomposed);
        var vqvae = new MosoVqVae(vqvaeConfig.Net);
        NnTesting.Perturb(vqvae, 0.05);
        var model = new MosoTransformerModel(TransformerConfig(vqvaeConfig), vqvae);
        NnTesting.Perturb(model.TrainingNetwork.Transformer, 0.05);
        return model;
    }
}
