using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Nn.Quantization;

/// <summary>
/// A vector-quantisation codebook updated by exponential moving averages (van den Oord et al.
/// 2017, appendix; the "EMA optimization" MOSO uses): each code moves to the running mean of the
/// encoder vectors assigned to it, with Laplace-smoothed running counts so rarely used codes do not
/// divide by zero. Codes whose running count falls below <see cref="DeadThreshold"/> are restarted
/// at random vectors of the current batch, so the codebook does not collapse onto a few entries.
/// Codebook, counts and sums are buffers: they are saved with the weights and never see the optimizer.
/// </summary>
public sealed class EmaCodebook : nn.Module
{
    private readonly Tensor embedding;
    private readonly Tensor cluster_size;
    private readonly Tensor embedding_sum;

    /// <summary>A codebook of <paramref name="size"/> codes of width <paramref name="dim"/>.</summary>
    /// <param name="size">Number of codes K.</param>
    /// <param name="dim">Width of a code.</param>
    /// <param name="decay">EMA decay (MOSO: 0.99).</param>
    /// <param name="commitment">beta of the commitment loss (MOSO: 0.25).</param>
    /// <param name="epsilon">Laplace smoothing of the counts.</param>
    /// <param name="deadThreshold">
    /// Running count (vectors per batch) below which a code is restarted (0: never). The default, 1,
    /// restarts every code the first batch leaves unused at one of its vectors (a data-dependent
    /// initialisation) and later any code used by less than about one vector per batch: with 0.01,
    /// measured on shapes, 19 of 512 codes were in use after 300 steps.
    /// </param>
    public EmaCodebook(int size, int dim, double decay = 0.99, double commitment = 0.25, double epsilon = 1e-5, double deadThreshold = 1.0) : base(nameof(EmaCodebook))
    {
        if (size < 2 || dim < 1) throw new ArgumentException($"a codebook needs at least 2 codes of width >= 1, got {size} x {dim}");
        if (decay is < 0 or >= 1) throw new ArgumentException($"EMA decay must lie in [0, 1), got {decay}");
        Size = size;
        Dim = dim;
        Decay = decay;
        Commitment = commitment;
        Epsilon = epsilon;
        DeadThreshold = deadThreshold;
        var initial = torch.randn(size, dim) * (1.0 / Math.Sqrt(dim));
        embedding = initial.clone();
        // Starting counts at 1 treats every code as once used, so the first update does not wipe the codebook.
        cluster_size = torch.ones(size);
        embedding_sum = initial.clone();
        register_buffer("embedding", embedding);
        register_buffer("cluster_size", cluster_size);
        register_buffer("embedding_sum", embedding_sum);
    }

    /// <summary>Nothing: the buffers are registered by hand above, under their checkpoint names.</summary>
    protected override void RegisterComponents() { }

    /// <summary>Number of codes.</summary>
    public int Size { get; }

    /// <summary>Width of a code.</summary>
    public int Dim { get; }

    /// <summary>EMA decay.</summary>
    public double Decay { get; }

    /// <summary>beta of the commitment loss.</summary>
    public double Commitment { get; }

    /// <summary>Laplace smoothing of the counts.</summary>
    public double Epsilon { get; }

    /// <summary>Running count below which a code is restarted.</summary>
    public double DeadThreshold { get; }

    /// <summary>The codes, <c>[K, dim]</c>.</summary>
    public Tensor Embedding => embedding;

    /// <summary>Running (smoothed-before-use) counts per code, <c>[K]</c>.</summary>
    public Tensor ClusterSize => cluster_size;

    /// <summary>Running sums of the vectors assigned to each code, <c>[K, dim]</c>.</summary>
    public Tensor EmbeddingSum => embedding_sum;

    /// <summary>Usage of the last batch quantised in training mode.</summary>
    public CodebookUsage LastUsage { get; private set; } = new(0, 0, 0);

    /// <summary>
    /// Quantises <paramref name="z"/> <c>[N, dim]</c> to its nearest codes (equation 2). In training
    /// mode the codebook then takes one EMA step towards the batch and dead codes are restarted.
    /// </summary>
    public QuantizerOutput Quantize(Tensor z)
    {
        ArgumentNullException.ThrowIfNull(z);
        if (z.dim() != 2 || z.shape[1] != Dim) throw new ArgumentException($"expected vectors [N, {Dim}], got [{string.Join(", ", z.shape)}]");
        using var scope = NewDisposeScope();
        var flat = z.to_type(ScalarType.Float32);
        Tensor indices;
        using (torch.no_grad())
        {
            // |z - e|^2 = |z|^2 - 2 z.e + |e|^2; |z|^2 does not change the argmin.
            using var two = 2.ToScalar();
            var distances = embedding.square().sum(1).unsqueeze(0) - flat.matmul(embedding.t()).mul_(two);
            indices = distances.argmin(1);
        }
        var quantized = embedding.index_select(0, indices);
        using var beta = Commitment.ToScalar();
        var commitment = (flat - quantized.detach()).square().mean().mul(beta);
        var straightThrough = flat + (quantized - flat).detach();
        if (training) Update(flat.detach(), indices);
        return new QuantizerOutput(straightThrough.MoveToOuterDisposeScope(), indices.MoveToOuterDisposeScope(), commitment.MoveToOuterDisposeScope());
    }

    /// <summary>The codes of <paramref name="indices"/> (any shape): shape + <c>[dim]</c>.</summary>
    public Tensor Lookup(Tensor indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        using var scope = NewDisposeScope();
        var flat = embedding.index_select(0, indices.flatten().to_type(ScalarType.Int64));
        return flat.reshape([.. indices.shape, Dim]).MoveToOuterDisposeScope();
    }

    private void Update(Tensor z, Tensor indices)
    {
        using var scope = NewDisposeScope();
        using var noGrad = torch.no_grad();
        var onehot = nn.functional.one_hot(indices, Size).to_type(ScalarType.Float32);
        var counts = onehot.sum(new long[] { 0 });  // (a literal 0 would bind to the ScalarType overload)
        var sums = onehot.t().matmul(z);
        // Explicit scalars, disposed here: implicit ones can be finalized while libtorch reads them (see README, Runtime notes).
        using var decay = Decay.ToScalar();
        using var rest = (1 - Decay).ToScalar();
        using var epsilon = Epsilon.ToScalar();
        using var totalEpsilon = (Size * Epsilon).ToScalar();
        cluster_size.mul_(decay).add_(counts, alpha: rest);
        embedding_sum.mul_(decay).add_(sums, alpha: rest);
        var total = cluster_size.sum();
        var smoothed = cluster_size.add(epsilon).div_(total.add(totalEpsilon)).mul_(total);
        embedding.copy_(embedding_sum / smoothed.unsqueeze(1));

        var dead = cluster_size < DeadThreshold;
        long deadCount = dead.sum().item<long>();
        if (deadCount > 0)
        {
            // Restart each dead code at a random vector of this batch, with a count of 1 so it gets a fair chance.
            var picks = torch.randint(z.shape[0], [deadCount], dtype: ScalarType.Int64);
            var deadIndices = dead.nonzero().squeeze(1);
            var fresh = z.index_select(0, picks);
            embedding.index_copy_(0, deadIndices, fresh);
            embedding_sum.index_copy_(0, deadIndices, fresh);
            cluster_size.index_fill_(0, deadIndices, 1.0);
        }
        var frequencies = counts / counts.sum();
        double entropy = -(frequencies * (frequencies + 1e-10).log()).sum().item<float>();
        LastUsage = new CodebookUsage(Math.Exp(entropy), (counts > 0).sum().item<long>(), deadCount);
    }
}
