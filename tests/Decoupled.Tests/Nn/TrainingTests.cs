using Decoupled.Nn.Conditioning;
using Decoupled.Nn.UNet;
using Decoupled.Runtime;
using Decoupled.Tests.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.Nn;

/// <summary>
/// Runs alone (<see cref="TorchRngCollection"/>): these tests train or compare outputs bit for
/// bit, so they must not share torch's global RNG (or a DECOUPLED_ONEDNN=forward toggle in
/// TorchRuntime.Backward) with tests running in parallel.
/// </summary>
[Collection(TorchRngCollection.Name)]
public class TrainingTests
{
    [Fact]
    public void FreshUNetPredictsZeros()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var config = NnTesting.Tiny with { NumClasses = 2, FirstFrameChannels = 4 };
        var unet = new UNet3D(config);
        var y = unet.call(torch.randn([2, 3, 4, 8, 8]), NnTesting.Timesteps(2), NnTesting.RandomConditioning(config, 2, 8, 8));
        Assert.Equal(0.0, y.abs().max().item<float>());
    }

    /// <summary>
    /// The zero-initialised output conv (and the zero-initialised last conv of every ResNet block
    /// and output projection of every attention) blocks gradients at the start: the first backward
    /// gives exact zeros to everything behind them, but never None or NaN. After a few AdamW
    /// steps those layers are non-zero and every parameter receives a non-zero gradient. The
    /// batch uses every class, the null class and the null caption, and as many frames as the
    /// relative position tables cover, so no parameter is legitimately left out.
    /// </summary>
    [Fact]
    public void GradientsReachEveryParameter()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var config = NnTesting.Tiny with { NumClasses = 2, TextDim = 3, FirstFrameChannels = 4, FirstFrameFactor = 2, MaxFrames = 4 };
        var unet = new UNet3D(config);
        var x = torch.randn([3, 3, 4, 8, 8]);
        var t = NnTesting.Timesteps(3);
        var cond = new UNetConditioning(
            torch.tensor(new long[] { 0, 1, 0 }), torch.randn(3, 3), torch.rand(3, 3, 16, 16) * 2 - 1,
            torch.tensor(new[] { false, false, true }));
        var target = torch.randn_like(x);
        var optimizer = optim.AdamW(unet.parameters(), lr: 1e-2);
        var named = unet.named_parameters().ToList();
        for (int step = 0; step < 4; step++)
        {
            using var stepScope = NewDisposeScope();
            optimizer.zero_grad();
            TorchRuntime.Backward(nn.functional.mse_loss(unet.call(x, t, cond), target));
            foreach (var (name, parameter) in named)
            {
                Assert.True(parameter.grad is not null, $"step {step}: {name} got no gradient");
                Assert.True(parameter.grad!.isfinite().all().item<bool>(), $"step {step}: {name} has a non-finite gradient");
            }
            if (step == 3)
            {
                var silent = named.Where(p => p.parameter.grad!.abs().max().item<float>() == 0).Select(p => p.name).ToList();
                Assert.True(silent.Count == 0, $"zero gradients after {step} steps: {string.Join(", ", silent)}");
            }
            optimizer.step();
        }
    }

    [Fact]
    public void TinyUNetOverfitsOneBatch()
    {
        TorchRuntime.Initialize();
        torch.manual_seed(5);
        using var scope = NewDisposeScope();
        var config = NnTesting.Tiny with { NumClasses = 3, FirstFrameChannels = 4 };
        var unet = new UNet3D(config);
        // One noisy clip at a fixed noise level; the target is its noise (the epsilon objective).
        var x0 = torch.linspace(-1, 1, 16).view(1, 1, 1, 1, 16).expand(1, 3, 8, 16, 16) * torch.linspace(0.2, 1, 8).view(1, 1, 8, 1, 1);
        var noise = torch.randn([1, 3, 8, 16, 16]);
        const double alphaBar = 0.5;
        var xt = Math.Sqrt(alphaBar) * x0 + Math.Sqrt(1 - alphaBar) * noise;
        var t = torch.tensor(new long[] { 500 });
        var cond = new UNetConditioning(torch.tensor(new long[] { 1 }), FirstFrame: x0[.., .., 0]);
        var optimizer = optim.AdamW(unet.parameters(), lr: 1e-2, weight_decay: 0);
        double first = 0, last = 0;
        for (int step = 0; step < 50; step++)
        {
            using var stepScope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss(unet.call(xt, t, cond), noise);
            TorchRuntime.Backward(loss);
            optimizer.step();
            if (step == 0) first = loss.item<float>();
            last = loss.item<float>();
        }
        Assert.True(last < first / 10, $"loss went from {first} to {last} in 50 steps");
    }
}
