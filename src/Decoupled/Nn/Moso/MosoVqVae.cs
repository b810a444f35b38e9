using System.Numerics;
using Decoupled.Nn.Blocks;
using Decoupled.Nn.Quantization;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Nn.Moso;

/// <summary>
/// MOSO-VQVAE (section 3.1): scene, object and motion encoders, one EMA codebook shared by the
/// three streams (each with its own 1x1 projections into and out of the code space), and a
/// time-independent decoder: frame t is rebuilt from the scene, the object and motion_t alone
/// (merge module, residual stack, upsampling). With <see cref="MosoVqVaeNetConfig.Decomposed"/>
/// false it is the paper's non-decomposed ablation: one frame-wise encoder on raw frames and a
/// decoder without merge.
/// </summary>
public sealed class MosoVqVae : nn.Module
{
    private readonly ContentEncoder? scene_encoder;
    private readonly ContentEncoder? object_encoder;
    private readonly MotionEncoder motion_encoder;
    private readonly FrameConv? scene_in;
    private readonly FrameConv? object_in;
    private readonly FrameConv motion_in;
    private readonly FrameConv? scene_out;
    private readonly FrameConv? object_out;
    private readonly FrameConv motion_out;
    private readonly EmaCodebook codebook;
    private readonly MergeModule? merge;
    private readonly TorchSharp.Modules.ModuleList<FrameConv> frame_up;
    private readonly FrameDecoder decoder;

    /// <summary>Builds the network of <paramref name="config"/>.</summary>
    public MosoVqVae(MosoVqVaeNetConfig config) : base(nameof(MosoVqVae))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        int d = config.Hidden, c = config.CodeDim;
        motion_encoder = new MotionEncoder(config);
        motion_in = new FrameConv(config.MotionHidden, c, 1);
        motion_out = new FrameConv(c, d, 1);
        codebook = new EmaCodebook(config.CodebookSize, c, config.Decay, config.Commitment, deadThreshold: config.DeadCodeThreshold);
        if (config.Decomposed)
        {
            scene_encoder = new ContentEncoder(config);
            object_encoder = new ContentEncoder(config);
            scene_in = new FrameConv(d, c, 1);
            object_in = new FrameConv(d, c, 1);
            scene_out = new FrameConv(c, d, 1);
            object_out = new FrameConv(c, d, 1);
            merge = new MergeModule(d, Math.Min(3, BitOperations.Log2((uint)config.ContentGrid.H) + 1));
            frame_up = nn.ModuleList<FrameConv>();
        }
        else
        {
            // The ablation's frame feature lives on the motion grid; bring it to the content grid first.
            frame_up = nn.ModuleList(Enumerable.Range(0, BitOperations.Log2((uint)(config.MotionDownsample / config.ContentDownsample))).Select(_ => new FrameConv(d, d, 3)).ToArray());
        }
        decoder = new FrameDecoder(config);
        RegisterComponents();
    }

    /// <summary>The architecture.</summary>
    public MosoVqVaeNetConfig Config { get; }

    /// <summary>The codebook the three streams share.</summary>
    public EmaCodebook Codebook => codebook;

    /// <summary>The merge module (null for the non-decomposed ablation).</summary>
    public MergeModule? Merge => merge;

    // The modules that turn codes into frames; everything else (encoders, their projections into
    // the code space, the codebook) decides the tokens.
    private static readonly string[] DecoderModules = ["scene_out", "object_out", "motion_out", "merge", "frame_up", "decoder"];

    /// <summary>
    /// The parameters that turn codes into frames (the projections out of the code space, merge,
    /// decoder): training these alone leaves every token unchanged.
    /// </summary>
    public IEnumerable<TorchSharp.Modules.Parameter> DecoderParameters() =>
        named_parameters().Where(p => IsDecoderName(p.name)).Select(p => p.parameter);

    /// <summary>
    /// The weights and buffers that decide the tokens (encoders, projections into the code space,
    /// the codebook), by name: two VQ-VAEs tokenise alike when these are equal.
    /// </summary>
    public IEnumerable<(string Name, Tensor Value)> TokenizerState() =>
        state_dict().Where(kv => !IsDecoderName(kv.Key)).Select(kv => (kv.Key, kv.Value));

    private static bool IsDecoderName(string name) => DecoderModules.Contains(name.Split('.')[0]);

    /// <summary>
    /// Encodes and quantises (equations 1-2): <paramref name="scene"/> and <paramref name="obj"/>
    /// are the scene and object encoders' inputs, <paramref name="motion"/> the motion encoder's
    /// (all <c>[B, 3, T, H, W]</c>); the ablation ignores scene and object and reads raw frames in
    /// <paramref name="motion"/>. The three streams are quantised in one call, so the codebook takes
    /// one EMA step per batch.
    /// </summary>
    public MosoEncoding Encode(Tensor? scene, Tensor? obj, Tensor motion)
    {
        ArgumentNullException.ThrowIfNull(motion);
        using var scope = NewDisposeScope();
        long b = motion.shape[0], t = motion.shape[2];
        var motionCode = motion_in.call(VideoFrames.Fold(motion_encoder.call(motion)));   // [B*T, c, h', w']
        var parts = new List<Tensor>();
        Tensor? sceneCode = null, objectCode = null;
        if (Config.Decomposed)
        {
            if (scene is null || obj is null) throw new ArgumentException("the decomposed MOSO-VQVAE needs scene and object videos");
            sceneCode = scene_in!.call(scene_encoder!.call(scene));
            objectCode = object_in!.call(object_encoder!.call(obj));
            parts.Add(ToVectors(sceneCode));
            parts.Add(ToVectors(objectCode));
        }
        parts.Add(ToVectors(motionCode));
        var quantized = codebook.Quantize(torch.cat(parts.ToArray(), 0));
        var counts = parts.Select(p => p.shape[0]).ToArray();
        var values = quantized.Quantized.split(counts, 0);
        var indices = quantized.Indices.split(counts, 0);
        int motionPart = values.Length - 1;

        var motionQuantized = VideoFrames.Unfold(motion_out.call(FromVectors(values[motionPart], motionCode)), b);
        var motionTokens = indices[motionPart].reshape(b, t, motionCode.shape[2], motionCode.shape[3]);
        Tensor? sceneQuantized = null, objectQuantized = null, sceneTokens = null, objectTokens = null;
        if (sceneCode is not null)
        {
            sceneQuantized = scene_out!.call(FromVectors(values[0], sceneCode));
            objectQuantized = object_out!.call(FromVectors(values[1], objectCode!));
            sceneTokens = indices[0].reshape(b, sceneCode.shape[2], sceneCode.shape[3]);
            objectTokens = indices[1].reshape(b, objectCode!.shape[2], objectCode.shape[3]);
        }
        return new MosoEncoding(sceneTokens?.MoveToOuterDisposeScope(), objectTokens?.MoveToOuterDisposeScope(), motionTokens.MoveToOuterDisposeScope(),
            sceneQuantized?.MoveToOuterDisposeScope(), objectQuantized?.MoveToOuterDisposeScope(), motionQuantized.MoveToOuterDisposeScope(),
            quantized.CommitmentLoss.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Decodes every frame from the scene, the object and that frame's motion alone: <c>[B, hidden, h, w]</c>
    /// scene and object (null: zero features, the appendix C.3 visualisations), <c>[B, hidden, T, h', w']</c>
    /// motion; returns <c>[B, 3, T, H, W]</c>.
    /// </summary>
    public Tensor Decode(Tensor? sceneQuantized, Tensor? objectQuantized, Tensor motionQuantized)
    {
        ArgumentNullException.ThrowIfNull(motionQuantized);
        using var scope = NewDisposeScope();
        long b = motionQuantized.shape[0], t = motionQuantized.shape[2];
        var motion = VideoFrames.Fold(motionQuantized);
        Tensor frame;
        if (Config.Decomposed)
        {
            var (h, w) = Config.ContentGrid;
            var zeros = torch.zeros(b, Config.Hidden, h, w, dtype: motion.dtype);
            var scene = PerFrame(sceneQuantized ?? zeros, t);
            var obj = PerFrame(objectQuantized ?? zeros, t);
            frame = merge!.call(scene, obj, motion);
        }
        else
        {
            frame = motion;
            foreach (var up in frame_up)
                frame = nn.functional.relu(up.call(nn.functional.interpolate(frame, scale_factor: [2.0, 2.0], mode: InterpolationMode.Nearest)));
        }
        return VideoFrames.Unfold(decoder.call(frame), b).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Decodes token maps (<c>[B, h, w]</c> scene and object, <c>[B, T, h', w']</c> motion). A null stream
    /// decodes as zero features; with no motion tokens, <paramref name="frames"/> says how many frames to draw.
    /// </summary>
    public Tensor DecodeTokens(Tensor? sceneTokens, Tensor? objectTokens, Tensor? motionTokens, long? frames = null)
    {
        using var scope = NewDisposeScope();
        var reference = motionTokens ?? sceneTokens ?? objectTokens ?? throw new ArgumentException("decode needs at least one stream of tokens");
        long b = reference.shape[0];
        Tensor motion;
        if (motionTokens is not null)
        {
            long t = motionTokens.shape[1];
            var codes = codebook.Lookup(motionTokens.flatten(0, 1)).permute(0, 3, 1, 2);     // [B*T, c, h', w']
            motion = VideoFrames.Unfold(motion_out.call(codes), b);
        }
        else
        {
            long t = frames ?? throw new ArgumentException("without motion tokens, give the number of frames");
            var (h, w) = Config.MotionGrid;
            motion = torch.zeros([b, Config.Hidden, t, h, w]);
        }
        var scene = sceneTokens is null ? null : scene_out!.call(codebook.Lookup(sceneTokens).permute(0, 3, 1, 2));
        var obj = objectTokens is null ? null : object_out!.call(codebook.Lookup(objectTokens).permute(0, 3, 1, 2));
        return Decode(scene, obj, motion).MoveToOuterDisposeScope();
    }

    private static Tensor PerFrame(Tensor content, long frames) =>
        content.unsqueeze(1).expand(-1, frames, -1, -1, -1).reshape(content.shape[0] * frames, content.shape[1], content.shape[2], content.shape[3]);

    // [N, c, h, w] -> [N*h*w, c] and back.
    private static Tensor ToVectors(Tensor x) => x.permute(0, 2, 3, 1).reshape(-1, x.shape[1]);

    private static Tensor FromVectors(Tensor vectors, Tensor like) =>
        vectors.reshape(like.shape[0], like.shape[2], like.shape[3], like.shape[1]).permute(0, 3, 1, 2);
}
