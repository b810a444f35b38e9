using Decoupled.Nn.Blocks;
using Decoupled.Runtime;
using Decoupled.Tests.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.Runtime;

/// <summary>The oneDNN policy: padded convolutions, the self-check, and mode scoping.</summary>
[Collection(TorchRngCollection.Name)]
public class OneDnnTests
{
    [Theory]
    [InlineData(19, 16, 1)]   // forward was wrong unpadded (input width above 16, not a multiple of 16)
    [InlineData(16, 3, 1)]    // backward-data was wrong unpadded (output width not a multiple of 16)
    [InlineData(4, 4, 1)]
    [InlineData(3, 16, 2)]
    public void PaddedConvolutionMatchesDoublePrecisionWithOneDnnOn(long inChannels, long outChannels, long stride)
    {
        TorchRuntime.Initialize();
        torch.manual_seed(5);
        using var scope = NewDisposeScope();
        var conv = new FrameConv(inChannels, outChannels, 3, stride);
        var x = randn(8, inChannels, 16, 16, requires_grad: true);
        var upstream = randn(8, outChannels, 16 / stride, 16 / stride);
        Tensor y;
        using (TorchRuntime.UseOneDnn(OneDnnMode.Full))
        {
            y = conv.call(x);
            TorchRuntime.Backward((y * upstream).sum());
        }
        var xd = x.detach().to(float64).requires_grad_(true);
        var wd = conv.Weight.detach().to(float64).requires_grad_(true);
        var bd = conv.parameters().Last().detach().to(float64);
        var yd = nn.functional.conv2d(xd, wd, bd, strides: [stride, stride], padding: [1, 1]);
        (yd * upstream.to(float64)).sum().backward();
        Assert.True(OneDnnSelfCheck.RelativeError(y, yd) < 1e-5, "forward");
        Assert.True(OneDnnSelfCheck.RelativeError(x.grad!, xd.grad!) < 1e-4, $"input gradient off by {OneDnnSelfCheck.RelativeError(x.grad!, xd.grad!)}");
        Assert.True(OneDnnSelfCheck.RelativeError(conv.Weight.grad!, wd.grad!) < 1e-4, "weight gradient");
    }

    [Fact]
    public void SelfCheckRestoresTheNetworkAndItsVerdictFollowsTheErrors()
    {
        TorchRuntime.Initialize();
        torch.manual_seed(6);
        using var scope = NewDisposeScope();
        var net = nn.Sequential(new FrameConv(3, 16, 3), nn.SiLU(), Layers.ZeroInit(new FrameConv(16, 3, 3)));
        net.train();
        var before = net.parameters().Select(p => p.detach().clone()).ToList();
        var x = randn(4, 3, 16, 16);
        var check = OneDnnSelfCheck.ForTraining(net, () => net.call(x).pow(2).mean());

        Assert.Equal(OneDnnSelfCheck.Verdict(check.ForwardError, check.GradientError), check.Mode);
        Assert.NotNull(check.GradientError);
        // The nudge made the zero-initialised layer pass gradients back, so the check compared something.
        Assert.True(net.training);
        foreach (var (p, b) in net.parameters().Zip(before))
        {
            Assert.True(p.eq(b).all().item<bool>(), "parameters must be restored bit for bit");
            Assert.True(p.grad is null || p.grad.abs().max().item<float>() == 0, "gradients must be left at zero");
        }
        Assert.Equal(OneDnnMode.Off, TorchRuntime.OneDnn);
    }

    [Fact]
    public void SelfCheckCatchesAWrongGradient()
    {
        // A "kernel" that is right in the reference mode and wrong under oneDNN, whatever this CPU does.
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var layer = nn.Linear(4, 4);
        var x = randn(8, 4);
        var check = OneDnnSelfCheck.ForTraining(layer, () =>
        {
            var y = layer.call(x);
            return TorchRuntime.OneDnnActive ? (y * 1.5).pow(2).mean() : y.pow(2).mean();
        });
        Assert.Equal(OneDnnMode.Off, check.Mode);
        Assert.True(check.ForwardError > OneDnnSelfCheck.ForwardTolerance);
    }

    [Theory]
    [InlineData(0.0, 0.0, OneDnnMode.Full)]
    [InlineData(1e-6, 0.5, OneDnnMode.Forward)]
    [InlineData(0.2, 0.0, OneDnnMode.Off)]
    [InlineData(double.PositiveInfinity, 0.0, OneDnnMode.Off)]
    [InlineData(0.0, double.NaN, OneDnnMode.Forward)]
    [InlineData(double.NaN, 0.0, OneDnnMode.Off)]
    public void VerdictTakesTheStrongestModeBothErrorsAllow(double forward, double gradient, OneDnnMode expected) =>
        Assert.Equal(expected, OneDnnSelfCheck.Verdict(forward, gradient));

    [Fact]
    public void RelativeErrorTreatsNonFiniteValuesAsInfinitelyWrong()
    {
        using var scope = NewDisposeScope();
        Assert.Equal(0, OneDnnSelfCheck.RelativeError(zeros(3), zeros(3)));
        Assert.Equal(0.5, OneDnnSelfCheck.RelativeError(tensor(new[] { 1f, 3f }), tensor(new[] { 1f, 2f })), 6);
        Assert.Equal(double.PositiveInfinity, OneDnnSelfCheck.RelativeError(tensor(new[] { float.NaN }), tensor(new[] { 1f })));
    }

    [Fact]
    public void UseOneDnnRestoresThePreviousMode()
    {
        TorchRuntime.Initialize();
        Assert.Equal(OneDnnMode.Off, TorchRuntime.OneDnn);
        using (TorchRuntime.UseOneDnn(OneDnnMode.Full))
        {
            Assert.True(TorchRuntime.OneDnnActive);
            using (TorchRuntime.UseOneDnn(OneDnnMode.Forward))
                Assert.Equal(OneDnnMode.Forward, TorchRuntime.OneDnn);
            Assert.Equal(OneDnnMode.Full, TorchRuntime.OneDnn);
        }
        Assert.Equal(OneDnnMode.Off, TorchRuntime.OneDnn);
        Assert.False(TorchRuntime.OneDnnActive);
    }

    [Fact]
    public async Task ScopesReleasedOutOfOrderLeaveTheDefaultModeBehind()
    {
        // Two samplers on two threads: the first to open is the first to close. "Restore the previous
        // mode" left Forward on for the rest of the process here.
        TorchRuntime.Initialize();
        var first = TorchRuntime.UseOneDnn(OneDnnMode.Forward);
        var second = TorchRuntime.UseOneDnn(OneDnnMode.Full);
        first.Dispose();
        Assert.Equal(OneDnnMode.Full, TorchRuntime.OneDnn);
        second.Dispose();
        second.Dispose();
        Assert.Equal(OneDnnMode.Off, TorchRuntime.OneDnn);
        Assert.False(TorchRuntime.OneDnnActive);

        var tasks = Enumerable.Range(0, 8).Select(i => Task.Run(() =>
        {
            for (int k = 0; k < 200; k++)
                using (TorchRuntime.UseOneDnn(i % 2 == 0 ? OneDnnMode.Forward : OneDnnMode.Full)) { }
        })).ToArray();
        await Task.WhenAll(tasks);
        Assert.Equal(OneDnnMode.Off, TorchRuntime.OneDnn);
    }

    [Theory]
    [InlineData(null, OneDnnPolicy.Auto)]
    [InlineData("auto", OneDnnPolicy.Auto)]
    [InlineData("OFF", OneDnnPolicy.Off)]
    [InlineData("forward", OneDnnPolicy.Forward)]
    [InlineData("full", OneDnnPolicy.Full)]
    public void PolicyComesFromTheEnvironmentVariable(string? value, OneDnnPolicy expected) =>
        Assert.Equal(expected, TorchRuntime.ParsePolicy(value));

    [Fact]
    public void AnUnknownPolicyIsAUserError() =>
        Assert.Contains("DECOUPLED_ONEDNN", Assert.Throws<UserInputException>(() => TorchRuntime.ParsePolicy("fast")).Message);
}
