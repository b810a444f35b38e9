using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Generators.Diffusion;

/// <summary>
/// VideoFusion's decomposed noise (equations 7, 9 and 11): frame i of a clip gets
/// <c>epsilon_i = sqrt(lambda_i) b + sqrt(1 - lambda_i) r_i</c>, with one base noise <c>b</c> shared by
/// every frame and independent residual noises <c>r_i</c>. Each frame stays N(0, I), and two frames
/// are correlated by <c>sqrt(lambda_i lambda_j)</c>. The base frame <c>floor(N/2)</c> has lambda = 1,
/// so its noise is <c>b</c> alone (equation 11). Pure math, no network: the same decomposition serves
/// the training noise, the initial z_T and the fresh noise of every sampling step (equation 10).
/// </summary>
public sealed class DecomposedNoise
{
    private readonly double[] lambda;

    /// <summary>
    /// A decomposition with one lambda per frame. The base frame <c>floor(N/2)</c> must have lambda 1,
    /// the others lie in [0, 1].
    /// </summary>
    public DecomposedNoise(IReadOnlyList<double> lambda)
    {
        ArgumentNullException.ThrowIfNull(lambda);
        if (lambda.Count < 1) throw new ArgumentException("decomposed noise needs at least one frame.", nameof(lambda));
        int baseFrame = BaseFrameOf(lambda.Count);
        if (lambda[baseFrame] != 1.0)
            throw new ArgumentException($"the base frame {baseFrame} must have lambda = 1 (equation 11), got {lambda[baseFrame]}.", nameof(lambda));
        for (int i = 0; i < lambda.Count; i++)
            if (!(lambda[i] >= 0.0 && lambda[i] <= 1.0))
                throw new ArgumentException($"lambda of frame {i} must lie in [0, 1], got {lambda[i]}.", nameof(lambda));
        this.lambda = lambda.ToArray();
        BaseFrame = baseFrame;
    }

    /// <summary>
    /// Lambda for <paramref name="frames"/> frames: 1 at the base frame, <paramref name="value"/> at every
    /// other. (The paper's text says "lambda^8 = 0.5" for 16 frames, which contradicts its own equation 11,
    /// where the base frame floor(16/2) = 8 carries the base noise alone; we follow equation 11.)
    /// </summary>
    public static IReadOnlyList<double> UniformLambda(int frames, double value = 0.5)
    {
        if (frames < 1) throw new ArgumentException($"frames must be at least 1, got {frames}.", nameof(frames));
        var result = Enumerable.Repeat(value, frames).ToArray();
        result[BaseFrameOf(frames)] = 1.0;
        return result;
    }

    /// <summary>The base frame of an N-frame clip: floor(N/2) (section 3.3).</summary>
    public static int BaseFrameOf(int frames) => frames / 2;

    /// <summary>N, the frames per clip.</summary>
    public int Frames => lambda.Length;

    /// <summary>floor(N/2), whose noise is the base noise alone.</summary>
    public int BaseFrame { get; }

    /// <summary>lambda_i for every frame.</summary>
    public IReadOnlyList<double> Lambda => Array.AsReadOnly(lambda);

    /// <summary>sqrt(lambda_i) as <c>[1, 1, N, 1, 1]</c> in the dtype and device of <paramref name="like"/>, ready to broadcast.</summary>
    public Tensor SqrtLambda(Tensor like) => PerFrame(lambda.Select(Math.Sqrt), like);

    /// <summary>sqrt(1 - lambda_i) as <c>[1, 1, N, 1, 1]</c>, like <see cref="SqrtLambda"/>.</summary>
    public Tensor SqrtOneMinusLambda(Tensor like) => PerFrame(lambda.Select(l => Math.Sqrt(1.0 - l)), like);

    /// <summary>
    /// Equation 7 with a shared base: <c>epsilon = sqrt(lambda) b + sqrt(1 - lambda) r</c> from
    /// <paramref name="baseNoise"/> <c>[B, C, 1, H, W]</c> and <paramref name="residualNoise"/> <c>[B, C, N, H, W]</c>.
    /// The base frame equals <paramref name="baseNoise"/> exactly (1 b + 0 r).
    /// </summary>
    public Tensor Compose(Tensor baseNoise, Tensor residualNoise)
    {
        CheckShapes(baseNoise, residualNoise);
        using var scope = torch.NewDisposeScope();
        return (SqrtLambda(residualNoise) * baseNoise + SqrtOneMinusLambda(residualNoise) * residualNoise).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Draws decomposed noise of <paramref name="shape"/> <c>[B, C, N, H, W]</c>: the base noise from
    /// <paramref name="generator"/> first, then the residual noise, unless one is given
    /// (<paramref name="baseNoise"/> <c>[B, C, 1, H, W]</c> or <paramref name="residualNoise"/>
    /// <c>[B, C, N, H, W]</c>): a fixed base noise keeps the content and a fixed residual noise the
    /// motion (section 3.5, Figure 1).
    /// </summary>
    public Tensor Sample(long[] shape, Generator? generator = null, Tensor? baseNoise = null, Tensor? residualNoise = null,
        ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length != 5 || shape[2] != Frames)
            throw new ArgumentException($"decomposed noise has shape [B, C, {Frames}, H, W], got [{string.Join(",", shape)}].", nameof(shape));
        using var scope = torch.NewDisposeScope();
        var b = baseNoise ?? torch.randn([shape[0], shape[1], 1, shape[3], shape[4]], dtype: dtype, device: device, generator: generator);
        var r = residualNoise ?? torch.randn(shape, dtype: dtype, device: device, generator: generator);
        return Compose(b, r).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Section 4.7's training guidance: clips of a batch that share a group share that noise. Batch
    /// item k gets the base noise of group <paramref name="baseGroups"/>[k] and the residual noise of
    /// group <paramref name="residualGroups"/>[k] (e.g. subject and action ids); one draw per distinct
    /// group, base noises first, in order of first appearance.
    /// </summary>
    public Tensor SampleShared(long[] shape, IReadOnlyList<long> baseGroups, IReadOnlyList<long> residualGroups, Generator? generator = null,
        ScalarType dtype = ScalarType.Float32, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(baseGroups);
        ArgumentNullException.ThrowIfNull(residualGroups);
        if (shape.Length != 5 || shape[2] != Frames)
            throw new ArgumentException($"decomposed noise has shape [B, C, {Frames}, H, W], got [{string.Join(",", shape)}].", nameof(shape));
        if (baseGroups.Count != shape[0] || residualGroups.Count != shape[0])
            throw new ArgumentException($"give one base and one residual group per batch item ({shape[0]}), got {baseGroups.Count} and {residualGroups.Count}.");
        using var scope = torch.NewDisposeScope();
        var b = DrawPerGroup(baseGroups, [shape[1], 1, shape[3], shape[4]], generator, dtype, device);
        var r = DrawPerGroup(residualGroups, shape[1..], generator, dtype, device);
        return Compose(b, r).MoveToOuterDisposeScope();
    }

    // One standard normal draw per distinct group, gathered back to the batch order.
    private static Tensor DrawPerGroup(IReadOnlyList<long> groups, long[] itemShape, Generator? generator, ScalarType dtype, Device? device)
    {
        var distinct = groups.Distinct().ToList();
        var draws = torch.randn([distinct.Count, .. itemShape], dtype: dtype, device: device, generator: generator);
        using var index = torch.tensor(groups.Select(g => (long)distinct.IndexOf(g)).ToArray(), device: device);
        return draws.index_select(0, index);
    }

    private Tensor PerFrame(IEnumerable<double> values, Tensor like) =>
        torch.tensor(values.ToArray(), dtype: ScalarType.Float64).reshape(1, 1, Frames, 1, 1).to(like.dtype, like.device);

    private void CheckShapes(Tensor baseNoise, Tensor residualNoise)
    {
        ArgumentNullException.ThrowIfNull(baseNoise);
        ArgumentNullException.ThrowIfNull(residualNoise);
        if (residualNoise.dim() != 5 || residualNoise.shape[2] != Frames)
            throw new ArgumentException($"the residual noise must be [B, C, {Frames}, H, W], got [{string.Join(",", residualNoise.shape)}].", nameof(residualNoise));
        long[] expected = [residualNoise.shape[0], residualNoise.shape[1], 1, residualNoise.shape[3], residualNoise.shape[4]];
        if (!baseNoise.shape.SequenceEqual(expected))
            throw new ArgumentException($"the base noise must be [{string.Join(",", expected)}], got [{string.Join(",", baseNoise.shape)}].", nameof(baseNoise));
    }
}
