using Decoupled.Generators.Diffusion;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Nn.Conditioning;

/// <summary>
/// What a <see cref="UNet.UNet3D"/> is conditioned on besides the noisy input and the timestep.
/// Which parts are required follows the configuration: class ids when <c>num_classes</c> is set,
/// text vectors when <c>text_dim</c> is set, the first frame when <c>first_frame_channels &gt; 0</c>,
/// the frame index when <c>frame_indices &gt; 0</c>.
/// </summary>
/// <param name="ClassIds">Class indices <c>[B]</c> (int64) in <c>[0, num_classes)</c>.</param>
/// <param name="Text">Pooled caption vectors <c>[B, text_dim]</c> from any text encoder.</param>
/// <param name="FirstFrame">The given first frame <c>[B, 3, H * f, W * f]</c> in [-1, 1] (f = first_frame_factor).</param>
/// <param name="DropMask">
/// Bool <c>[B]</c>, true where the class/caption is replaced by the learned null condition
/// (classifier-free guidance). The first frame is never dropped: it is the input of
/// image-to-video, not a guidance signal.
/// </param>
/// <param name="FrameIndex">Frame numbers <c>[B]</c> (int64) in <c>[0, frame_indices)</c>, when <c>frame_indices &gt; 0</c> (VideoFusion's residual generator).</param>
public sealed record UNetConditioning(Tensor? ClassIds = null, Tensor? Text = null, Tensor? FirstFrame = null, Tensor? DropMask = null, Tensor? FrameIndex = null)
{
    /// <summary>No conditioning at all (an unconditional U-Net).</summary>
    public static UNetConditioning None { get; } = new();

    /// <summary>
    /// The training half of classifier-free guidance: the same conditioning with a fresh
    /// <see cref="ConditionDropout.Mask"/> that drops each item's class/caption with probability <paramref name="probability"/>.
    /// </summary>
    public UNetConditioning WithConditionDropout(double probability, Generator? generator = null)
    {
        var reference = ClassIds ?? Text
            ?? throw new InvalidOperationException("condition dropout needs class ids or text vectors to drop.");
        return this with { DropMask = ConditionDropout.Mask(reference.shape[0], probability, generator, reference.device) };
    }

    /// <summary>The same conditioning with every class/caption replaced by the null condition (the unconditional branch of guidance).</summary>
    public UNetConditioning Unconditional(long batch, Device? device = null) =>
        this with { DropMask = torch.ones(batch, dtype: ScalarType.Bool, device: device ?? FirstFrame?.device ?? CPU) };
}
