using static TorchSharp.torch;

namespace Decoupled.Pipelines.VideoDiffusion;

/// <summary>
/// The conditions of a batch: the first frames (image-to-video models), class ids or captions (per
/// config), and the classifier-free-guidance drop mask.
/// </summary>
/// <param name="FirstFrame">First frames <c>[B, 3, H, W]</c> in [-1, 1]; null for a model without first-frame conditioning (<see cref="VideoDiffusionConfig.UsesFirstFrame"/>).</param>
/// <param name="ClassIds">Class ids <c>[B]</c> (int64) for label models.</param>
/// <param name="Captions">Captions for text models.</param>
/// <param name="DropMask">Bool <c>[B]</c>: true where the label/caption is replaced by the learned null condition.</param>
public sealed record VideoCondition(Tensor? FirstFrame, Tensor? ClassIds = null, IReadOnlyList<string>? Captions = null, Tensor? DropMask = null);
