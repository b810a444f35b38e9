using Decoupled.Runtime;
using Decoupled.Tests.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.Runtime;

/// <summary>Proves the native libtorch loads on this machine (with the libstdc++ fix where needed) and learns.</summary>
/// <remarks>Alone: trainers and samplers switch oneDNN on and off process-wide while they run.</remarks>
[Collection(TorchRngCollection.Name)]
public class TorchSharpTrainingTests
{
    [Fact]
    public void SmallConvNetLossGoesDown()
    {
        TorchRuntime.Initialize();
        torch.manual_seed(7);
        using var scope = torch.NewDisposeScope();
        // A tiny conv net learns to map noisy 8x8 patterns to their mean brightness.
        var net = nn.Sequential(
            nn.Conv2d(1, 4, 3, padding: 1), nn.SiLU(),
            nn.Conv2d(4, 4, 3, padding: 1), nn.SiLU(),
            nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, 1));
        var optimizer = optim.Adam(net.parameters(), 0.02);
        var x = torch.randn(32, 1, 8, 8);
        var y = x.mean([1, 2, 3]).unsqueeze(1) * 3;
        float first = 0, last = 0;
        for (int step = 0; step < 120; step++)
        {
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss(net.call(x), y);
            TorchRuntime.Backward(loss);
            optimizer.step();
            if (step == 0) first = loss.item<float>();
            last = loss.item<float>();
        }
        Assert.True(last < first * 0.2f, $"loss went from {first} to {last}");
    }

    [Fact]
    public void ConvolutionGradientsMatchDoublePrecision()
    {
        // Guards the oneDNN workaround: float32 input gradients through TorchRuntime.Backward must
        // match a float64 computation (which never uses oneDNN) on the shapes where oneDNN failed.
        TorchRuntime.Initialize();
        torch.manual_seed(11);
        for (int trial = 0; trial < 40; trial++)
        {
            using var scope = torch.NewDisposeScope();
            var x = torch.randn(32, 4, 8, 8, requires_grad: true);
            var conv = nn.Conv2d(4, 4, 3, padding: 1);
            TorchRuntime.Backward(conv.call(x).pow(2).mean());
            var xd = x.detach().to(float64).requires_grad_(true);
            nn.functional.conv2d(xd, conv.weight!.detach().to(float64), conv.bias!.detach().to(float64), padding: [1, 1]).pow(2).mean().backward();
            double error = (x.grad!.to(float64) - xd.grad!).abs().max().item<double>();
            double scale = xd.grad!.abs().max().item<double>();
            Assert.True(error <= 1e-4 * scale, $"trial {trial}: input gradient off by {error} (scale {scale})");
        }
        Assert.False(TorchRuntime.OneDnnForward, "oneDNN must stay off by default");
    }

    [Fact]
    public void ConvolutionsOverOddWidthsMatchDoublePrecision()
    {
        // oneDNN 3.7.1 got these wrong on this CPU every time (input widths above 16, not multiples of 16).
        TorchRuntime.Initialize();
        torch.manual_seed(12);
        foreach (long inChannels in new long[] { 17, 19, 24, 35 })
        {
            using var scope = torch.NewDisposeScope();
            var conv = nn.Conv3d(inChannels, 16, (1, 3, 3), padding: (0, 1, 1));
            var x = torch.randn([2, inChannels, 3, 16, 16]);
            var reference = nn.functional.conv3d(x.to(float64), conv.weight!.to(float64), conv.bias!.to(float64), padding: [0, 1, 1]);
            double error = (conv.call(x).to(float64) - reference).abs().max().item<double>();
            Assert.True(error < 1e-4, $"{inChannels} input channels: off by {error}");
        }
    }
}
