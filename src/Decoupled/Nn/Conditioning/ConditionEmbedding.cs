using Decoupled.Generators.Diffusion;
using Decoupled.Nn.Blocks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Decoupled.Nn.Conditioning;

/// <summary>
/// The vector every ResNet block is modulated by (its FiLM scale and shift):
/// <code>
/// e_t = MLP(sinusoid(t)) [+ FrameEmbedding(i)]             MLP = Linear, SiLU, Linear; i only for VideoFusion's residual generator
/// e_y = [ClassEmbedding(y)] ++ [TextProjection(caption)]   whichever the model has
/// e   = Linear(concat(e_t, e_y))                           only when e_y is not empty
/// </code>
/// The condition embedding is <em>concatenated</em> with the timestep embedding and projected by
/// one linear layer, as the ED-VDM paper's implementation details say. For classifier-free
/// guidance both condition kinds have a learned null: class row <c>num_classes</c> and a null
/// caption vector, substituted where <see cref="UNetConditioning.DropMask"/> is true.
/// </summary>
public sealed class ConditionEmbedding : nn.Module<Tensor, UNetConditioning, Tensor>
{
    private readonly SinusoidalTimeEmbedding sinusoid;
    private readonly Sequential time_mlp;
    private readonly Embedding? class_embedding;
    private readonly Linear? text_projection;
    private readonly Parameter? null_text;
    private readonly Linear? combine;
    private readonly Embedding? frame_embedding;

    /// <summary>
    /// An embedding of width <paramref name="embeddingDim"/> from a sinusoid of width
    /// <paramref name="timeDim"/>, with <paramref name="numClasses"/> classes and/or
    /// <paramref name="textDim"/>-wide caption vectors (null: that condition is absent), and a learned
    /// embedding of <paramref name="frameIndices"/> frame indices added to the time embedding (0: none,
    /// and no extra weights, so earlier checkpoints load unchanged).
    /// </summary>
    public ConditionEmbedding(long timeDim, long embeddingDim, long? numClasses = null, long? textDim = null, long frameIndices = 0) : base(nameof(ConditionEmbedding))
    {
        if (frameIndices < 0) throw new ArgumentException($"frame indices must not be negative, got {frameIndices}.", nameof(frameIndices));
        if (numClasses is < 1) throw new ArgumentException($"num_classes must be at least 1 when set, got {numClasses}.", nameof(numClasses));
        if (textDim is < 1) throw new ArgumentException($"text_dim must be at least 1 when set, got {textDim}.", nameof(textDim));
        NumClasses = numClasses;
        TextDim = textDim;
        EmbeddingDim = embeddingDim;
        sinusoid = new SinusoidalTimeEmbedding(timeDim);
        time_mlp = nn.Sequential(nn.Linear(timeDim, embeddingDim), nn.SiLU(), nn.Linear(embeddingDim, embeddingDim));

        int parts = 1;
        if (numClasses is long classes)
        {
            class_embedding = nn.Embedding(classes + 1, embeddingDim);
            parts++;
        }
        if (textDim is long text)
        {
            text_projection = nn.Linear(text, embeddingDim);
            null_text = new Parameter(torch.randn(text) * 0.02);
            parts++;
        }
        if (parts > 1)
            combine = nn.Linear(parts * embeddingDim, embeddingDim);
        if (frameIndices > 0)
            frame_embedding = nn.Embedding(frameIndices, embeddingDim);
        FrameIndices = frameIndices;
        RegisterComponents();
    }

    /// <summary>Number of real classes (the null class is index <c>NumClasses</c>); null when not class-conditioned.</summary>
    public long? NumClasses { get; }

    /// <summary>Width of the caption vectors; null when not text-conditioned.</summary>
    public long? TextDim { get; }

    /// <summary>Number of frame indices with an embedding; 0 when frames are not told apart.</summary>
    public long FrameIndices { get; }

    /// <summary>Width of the output embedding.</summary>
    public long EmbeddingDim { get; }

    /// <summary>Timesteps <paramref name="t"/> <c>[B]</c> and the class/caption of <paramref name="condition"/> to <c>[B, EmbeddingDim]</c>.</summary>
    public override Tensor forward(Tensor t, UNetConditioning condition)
    {
        using var scope = torch.NewDisposeScope();
        var dtype = time_mlp.parameters().First().dtype;
        var parts = new List<Tensor> { WithFrameIndex(time_mlp.call(sinusoid.call(t).to(dtype)), condition, t.shape[0]) };
        if (class_embedding is not null)
            parts.Add(class_embedding.call(ClassIds(condition, t.shape[0])));
        else if (condition.ClassIds is not null)
            throw new ArgumentException("class ids were given, but this U-Net has no class conditioning (num_classes is not set).");
        if (text_projection is not null)
            parts.Add(text_projection.call(Text(condition, t.shape[0], dtype)));
        else if (condition.Text is not null)
            throw new ArgumentException("text vectors were given, but this U-Net has no text conditioning (text_dim is not set).");
        var embedding = combine is null ? parts[0] : combine.call(torch.cat(parts, 1));
        return embedding.MoveToOuterDisposeScope();
    }

    // VideoFusion's residual generator z^r(z'_i, t, i): the frame number joins the timestep (section 3.3).
    private Tensor WithFrameIndex(Tensor timeEmbedding, UNetConditioning condition, long batch)
    {
        if (frame_embedding is null)
        {
            if (condition.FrameIndex is not null)
                throw new ArgumentException("frame indices were given, but this U-Net does not embed them (frame_indices is 0).");
            return timeEmbedding;
        }
        var index = condition.FrameIndex
            ?? throw new ArgumentException("this U-Net is conditioned on the frame index: pass UNetConditioning.FrameIndex [B].");
        CheckIndices(index, batch, FrameIndices, "frame indices");
        return timeEmbedding + frame_embedding.call(index);
    }

    private Tensor ClassIds(UNetConditioning condition, long batch)
    {
        var ids = condition.ClassIds
            ?? throw new ArgumentException("this U-Net is class-conditioned: pass class ids (a drop mask of all true gives the null class).");
        CheckIndices(ids, batch, NumClasses!.Value, "class ids");
        return condition.DropMask is null ? ids : ConditionDropout.Apply(ids, condition.DropMask, NumClasses!.Value);
    }

    // An int64 tensor [batch] of indices into an embedding of `count` rows.
    private static void CheckIndices(Tensor indices, long batch, long count, string what)
    {
        if (indices.dim() != 1 || indices.shape[0] != batch || indices.dtype != ScalarType.Int64)
            throw new ArgumentException($"{what} must be an int64 tensor [{batch}], got {indices.dtype} [{string.Join(",", indices.shape)}].");
        long low = indices.min().item<long>(), high = indices.max().item<long>();
        if (low < 0 || high >= count)
            throw new ArgumentException($"{what} must lie in [0, {count}), got values from {low} to {high}.");
    }

    private Tensor Text(UNetConditioning condition, long batch, ScalarType dtype)
    {
        var text = condition.Text
            ?? throw new ArgumentException("this U-Net is text-conditioned: pass caption vectors (a drop mask of all true gives the null caption).");
        if (text.dim() != 2 || text.shape[0] != batch || text.shape[1] != TextDim)
            throw new ArgumentException($"text vectors must be [{batch}, {TextDim}], got [{string.Join(",", text.shape)}].");
        text = text.to(dtype);
        return condition.DropMask is null ? text : ConditionDropout.Apply(text, condition.DropMask, null_text!);
    }
}
