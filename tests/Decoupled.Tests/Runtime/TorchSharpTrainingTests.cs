using Decoupled.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.Runtime;

/// <summary>Proves the native libtorch loads on this machine (with the libstdc++ fix where needed) and learns.</summary>
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
        Assert.True(TorchRuntime.OneDnnForward, "forward passes should keep oneDNN");
    }
}
