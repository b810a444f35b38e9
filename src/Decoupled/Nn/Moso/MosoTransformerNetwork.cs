using Decoupled.Nn.Transformers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Decoupled.Nn.Moso;

/// <summary>
/// MOSO-Transformer (section 3.2): TransformerSO and TransformerG share one bidirectional body
/// (told apart by a task embedding); TransformerM has its own. Every id-valued input may hold the
/// mask token (id V).
/// <para>
/// TransformerSO reads, at each of the 2S scene-then-object positions, the sum of the pseudo
/// video's token embedding and the target's (masked) token embedding, and predicts the target's
/// tokens (equation 11). Summing the two tokens of the same place lets one network predict from the
/// pseudo video alone (target all masked: the paper's one-shot prediction), refine MaskGIT-style
/// (some target tokens known), or generate unconditionally (pseudo tokens all masked).
/// TransformerG reads the target's scene and object tokens and returns its hidden states as
/// guidance embeddings. TransformerM attends over [guidance ; motion tokens] and predicts the
/// motion tokens (equation 13).
/// </para>
/// </summary>
public sealed class MosoTransformerNetwork : nn.Module
{
    private const int SceneObjectTask = 0;
    private const int GuidanceTask = 1;

    private readonly Embedding? pseudo_embedding;
    private readonly Embedding? target_embedding;
    private readonly Parameter? scene_object_position;
    private readonly Embedding? task_embedding;
    private readonly BidirectionalTransformer? scene_object_body;
    private readonly Linear? scene_object_head;
    private readonly Linear? guidance_projection;
    private readonly Parameter? guidance_type;
    private readonly Embedding motion_embedding;
    private readonly Parameter motion_position;
    private readonly BidirectionalTransformer motion_body;
    private readonly Linear motion_head;

    /// <summary>Builds the network of <paramref name="config"/>.</summary>
    public MosoTransformerNetwork(MosoTransformerNetConfig config) : base(nameof(MosoTransformerNetwork))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        int v = config.CodebookSize, w = config.Width;
        if (config.Decomposed)
        {
            pseudo_embedding = TokenEmbedding(v + 1, w);
            target_embedding = TokenEmbedding(v + 1, w);
            scene_object_position = new Parameter(torch.randn(2L * config.SceneTokens, w) * 0.02);
            task_embedding = TokenEmbedding(2, w);
            scene_object_body = new BidirectionalTransformer(config.SceneObjectLayers, w, config.Heads, config.MlpWidth, config.Dropout);
            scene_object_head = nn.Linear(w, v);
            guidance_projection = nn.Linear(w, w);
            guidance_type = new Parameter(torch.randn(1, 1, w) * 0.02);
        }
        motion_embedding = TokenEmbedding(v + 1, w);
        motion_position = new Parameter(torch.randn((long)config.MotionFrames * config.MotionTokensPerFrame, w) * 0.02);
        motion_body = new BidirectionalTransformer(config.MotionLayers, w, config.Heads, config.MlpWidth, config.Dropout);
        motion_head = nn.Linear(w, v);
        RegisterComponents();
    }

    /// <summary>The architecture.</summary>
    public MosoTransformerNetConfig Config { get; }

    /// <summary>The mask token's id (V).</summary>
    public long MaskId => Config.MaskId;

    /// <summary>
    /// TransformerSO: logits <c>[B, 2S, V]</c> of the target's scene and object tokens from the pseudo
    /// video's (<paramref name="pseudo"/> <c>[B, 2S]</c>) and the target tokens known so far
    /// (<paramref name="target"/> <c>[B, 2S]</c>, mask id where unknown).
    /// </summary>
    public Tensor SceneObjectLogits(Tensor pseudo, Tensor target)
    {
        RequireDecomposed();
        using var scope = NewDisposeScope();
        var hidden = SceneObjectBody(pseudo, target, SceneObjectTask);
        return scene_object_head!.call(hidden).MoveToOuterDisposeScope();
    }

    /// <summary>TransformerG: guidance embeddings <c>[B, 2S, width]</c> from the target's scene and object tokens <c>[B, 2S]</c>.</summary>
    public Tensor Guidance(Tensor sceneObject)
    {
        RequireDecomposed();
        using var scope = NewDisposeScope();
        var noPseudo = torch.full_like(sceneObject, MaskId);
        var hidden = SceneObjectBody(noPseudo, sceneObject, GuidanceTask);
        return guidance_projection!.call(hidden).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// TransformerM: logits <c>[B, T M, V]</c> of the motion tokens from the guidance embeddings
    /// (null for the non-decomposed ablation) and the motion tokens known so far (<c>[B, T M]</c>, frame-major, mask id where unknown).
    /// </summary>
    public Tensor MotionLogits(Tensor? guidance, Tensor motion)
    {
        ArgumentNullException.ThrowIfNull(motion);
        if (Config.Decomposed && guidance is null) throw new ArgumentException("MOSO's motion transformer needs the guidance embeddings");
        using var scope = NewDisposeScope();
        var tokens = motion_embedding.call(motion) + motion_position;
        long guidanceLength = 0;
        if (guidance is not null)
        {
            guidanceLength = guidance.shape[1];
            tokens = torch.cat([guidance + guidance_type!, tokens], 1);
        }
        var hidden = motion_body.call(tokens)[.., TensorIndex.Slice(guidanceLength)];
        return motion_head.call(hidden).MoveToOuterDisposeScope();
    }

    private Tensor SceneObjectBody(Tensor pseudo, Tensor target, int task)
    {
        var tokens = pseudo_embedding!.call(pseudo) + target_embedding!.call(target) + scene_object_position!
            + task_embedding!.call(torch.tensor(task, dtype: ScalarType.Int64));
        return scene_object_body!.call(tokens);
    }

    private void RequireDecomposed()
    {
        if (!Config.Decomposed) throw new InvalidOperationException("the non-decomposed ablation has no scene/object transformer");
    }

    private static Embedding TokenEmbedding(int count, int width)
    {
        var embedding = nn.Embedding(count, width);
        using (torch.no_grad()) nn.init.normal_(embedding.weight!, 0, 0.02);
        return embedding;
    }
}
