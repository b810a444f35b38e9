using Decoupled.Nn.Autoencoders;
using Decoupled.Pipelines.EdVdm;
using Decoupled.Runtime;
using Decoupled.Tests.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.EdVdm;

[Collection(TorchRngCollection.Name)]
public class ResidualVaeLossTests
{
    private static ResidualVaeTrainingConfig Config(ReconstructionLoss loss) => new()
    {
        Vae = new ResidualVaeConfig { LatentChannels = 4, BaseChannels = 8, ChannelMultipliers = [1, 2], NormGroups = 4 },
        Frames = 4, Height = 8, Width = 8, Loss = loss,
    };

    [Theory]
    [InlineData(ReconstructionLoss.L1)]
    [InlineData(ReconstructionLoss.L2)]
    public void TheLossIsTheChosenReconstructionErrorPlusTheScaledKl(ReconstructionLoss kind)
    {
        TorchRuntime.Initialize();
        torch.manual_seed(4);
        using var scope = NewDisposeScope();
        var model = new ResidualVaeModel(Config(kind));
        var x = randn(3, 3, 8, 8) * 0.1;
        using var batch = new ResidualBatch(x);
        using var g1 = new Generator(5);
        double loss = model.Loss(batch, g1).item<float>();

        using var g2 = new Generator(5);
        using var posterior = model.Vae.Encode(x);
        var error = model.Vae.Decode(posterior.Sample(g2)) - x;
        double reconstruction = (kind == ReconstructionLoss.L2 ? error.square() : error.abs()).mean().item<float>();
        double kl = posterior.KlDivergence().mean().item<float>() / (3 * 8 * 8);
        Assert.Equal(reconstruction + 1e-6 * kl, loss, 5);
    }

    [Fact]
    public void OlderConfigsWithoutALossTrainWithL1() =>
        Assert.Equal(ReconstructionLoss.L1, System.Text.Json.JsonSerializer.Deserialize<ResidualVaeTrainingConfig>(
            """{"vae":{"latent_channels":4},"frames":4,"height":8,"width":8}""", Decoupled.IO.JsonFile.Options)!.Loss);
}
