using Decoupled.Nn.Blocks;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Nn.Moso;

/// <summary>
/// The VQ-VAE residual stack (van den Oord et al. 2017) MOSO's encoders and decoder end with:
/// layers of <c>x + conv1x1(ReLU(conv3x3(ReLU(x))))</c>, then a ReLU, on <c>[N, C, H, W]</c>.
/// </summary>
public sealed class ResidualStack : nn.Module<Tensor, Tensor>
{
    private readonly TorchSharp.Modules.ModuleList<ResidualLayer> layers;

    /// <summary>A stack of <paramref name="count"/> layers on <paramref name="channels"/> channels with a <paramref name="hidden"/>-wide bottleneck.</summary>
    public ResidualStack(int channels, int hidden, int count) : base(nameof(ResidualStack))
    {
        layers = nn.ModuleList(Enumerable.Range(0, count).Select(_ => new ResidualLayer(channels, hidden)).ToArray());
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = x;
        foreach (var layer in layers) h = layer.call(h);
        return nn.functional.relu(h).MoveToOuterDisposeScope();
    }

    internal sealed class ResidualLayer : nn.Module<Tensor, Tensor>
    {
        private readonly FrameConv conv3;
        private readonly FrameConv conv1;

        public ResidualLayer(int channels, int hidden) : base(nameof(ResidualLayer))
        {
            conv3 = new FrameConv(channels, hidden, 3);
            conv1 = new FrameConv(hidden, channels, 1);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            using var scope = NewDisposeScope();
            var h = conv1.call(nn.functional.relu(conv3.call(nn.functional.relu(x))));
            return (x + h).MoveToOuterDisposeScope();
        }
    }
}
