using System.CommandLine;
using Decoupled.Cli.Infrastructure;
using Decoupled.Pipelines.EdVdm;
using Decoupled.Pipelines.Training;
using Decoupled.Pipelines.VideoDiffusion;

namespace Decoupled.Cli.Commands;

/// <summary>The options of <c>decoupled train</c> (System.CommandLine options belong to one command, hence an instance).</summary>
internal sealed class TrainOptions
{
    public Option<string> Model { get; } = new("--model") { Description = "vdm (pixels), d-vdm (frame differences), ed-vdm (motion vectors + residual latents), ed-vdm-vae (its residual autoencoder), videofusion (decomposed noise, base + residual generators), videofusion-base (its base generator alone, on single frames), moso-vqvae (MOSO stage I), moso-transformer (MOSO stage II, with --vqvae) or shapes-classifier (the reference classifier for fd_shapes and classifier_accuracy).", Required = true };
    public Option<string> Data { get; } = new("--data") { Description = "shapes, or a folder dataset (one subfolder per class).", DefaultValueFactory = _ => "shapes" };
    public Option<int> Frames { get; } = new("--frames") { Description = "Frames per clip (first frame included).", DefaultValueFactory = _ => 16 };
    public Option<int> Size { get; } = new("--size") { Description = "Frame side in pixels.", DefaultValueFactory = _ => 32 };
    public Option<long> Steps { get; } = new("--steps") { Description = "Training steps.", DefaultValueFactory = _ => 2000 };
    public Option<int> Batch { get; } = new("--batch") { Description = "Clips per step.", DefaultValueFactory = _ => 8 };
    public Option<double> LearningRate { get; } = new("--lr") { Description = "Peak learning rate (AdamW).", DefaultValueFactory = _ => 2e-4 };
    public Option<long> Warmup { get; } = new("--warmup") { Description = "Linear warm-up steps.", DefaultValueFactory = _ => 200 };
    public Option<LearningRateDecay> LearningRateDecay { get; } = new("--lr-decay") { Description = "After the warm-up: constant, or cosine (half a cosine down to --min-lr at step --steps; with --time-limit, set --steps to what fits in the time).", DefaultValueFactory = _ => Decoupled.Pipelines.Training.LearningRateDecay.Constant };
    public Option<double> MinLearningRate { get; } = new("--min-lr") { Description = "Where --lr-decay cosine ends.", DefaultValueFactory = _ => 0.0 };
    public Option<int> Width { get; } = new("--width") { Description = "Base channels of the U-Net (or of the autoencoder; shapes-classifier: 16 unless given).", DefaultValueFactory = _ => 32 };
    public Option<string> Multipliers { get; } = new("--mults") { Description = "U-Net width multipliers per level, comma separated.", DefaultValueFactory = _ => "1,2,4" };
    public Option<ConditionKind> Condition { get; } = new("--condition") { Description = "label, text or none.", DefaultValueFactory = _ => ConditionKind.Label };
    public Option<string> Prediction { get; } = new("--prediction") { Description = "What the U-Net predicts: v (velocity, VDM's choice) or eps (the noise, the paper's equation 6).", DefaultValueFactory = _ => "v" };
    public Option<string> LossWeighting { get; } = new("--loss-weighting") { Description = "lambda(t) of the diffusion loss: uniform (the paper's simple objective) or min-snr (Hang et al. 2023, gamma from --snr-gamma).", DefaultValueFactory = _ => "uniform" };
    public Option<double> SnrGamma { get; } = new("--snr-gamma") { Description = "The SNR clip of --loss-weighting min-snr.", DefaultValueFactory = _ => 5.0 };
    public Option<double?> VectorLossWeight { get; } = new("--vector-loss-weight") { Description = "ED-VDM: weight of the 2 vector channels in the loss against 1 per latent channel (default 1: the paper's plain average, where motion is 2 of 2 + C channels)." };
    public Option<double?> ActiveBlockWeight { get; } = new("--active-block-weight") { Description = "ED-VDM: loss weight of the blocks with a non-zero vector or residual latents above --active-block-threshold, against 1 for still blocks (default 1: every block the same, the paper)." };
    public Option<double?> ActiveBlockThreshold { get; } = new("--active-block-threshold") { Description = "ED-VDM: RMS of a block's residual latents (scaled units) above which it is active for --active-block-weight (default 0.5; a block with no residual sits near 0.1)." };
    public Option<double?> VectorScale { get; } = new("--vector-scale") { Description = "ED-VDM: factor on the motion vectors after dividing them by the search range (default: the one that gives them unit variance on the training data; 1 = the paper's [-1, 1])." };
    public Option<double?> DifferenceScale { get; } = new("--difference-scale") { Description = "D-VDM: factor on the frame differences (default: the one that gives them unit variance on the training data)." };
    public Option<string?> Differences { get; } = new("--differences") { Description = "d-vdm: previous (v[n] - v[n-1], the paper's formula, decoded by cumulative sum; the default) or first (v[n] - v[0], the paper's prose: an error stays in its own frame)." };
    public Option<string?> Vae { get; } = new("--vae") { Description = "ED-VDM: run folder of a trained residual autoencoder (train --model ed-vdm-vae)." };
    public Option<int> Block { get; } = new("--block") { Description = "ed-vdm-vae: macroblock size of the codec (16, 8 or 4); the latent grid follows it.", DefaultValueFactory = _ => 16 };
    public Option<int> VectorCost { get; } = new("--vector-cost") { Description = "ed-vdm-vae: rate term of the motion search, SAD units per pixel of difference from the left block's vector (0: plain SAD minimum; a few units give coherent fields that ED-VDM learns more easily).", DefaultValueFactory = _ => 0 };
    public Option<int> SearchRange { get; } = new("--search-range") { Description = "ed-vdm-vae: motion search range in pixels.", DefaultValueFactory = _ => 16 };
    public Option<int> LatentChannels { get; } = new("--latent-channels") { Description = "ed-vdm-vae: channels of the residual latent.", DefaultValueFactory = _ => 16 };
    public Option<ReconstructionLoss> VaeLoss { get; } = new("--vae-loss") { Description = "ed-vdm-vae: reconstruction loss, L1 (the paper) or L2 (better on sparse residuals such as the shapes dataset's; see README).", DefaultValueFactory = _ => ReconstructionLoss.L1 };
    public Option<ResidualSelection> Residuals { get; } = new("--residuals") { Description = "ed-vdm-vae: train on the middle 4 P-frames of each clip (middle4, the paper) or on all.", DefaultValueFactory = _ => ResidualSelection.Middle4 };
    public Option<int?> CacheClips { get; } = new("--cache-clips") { Description = "Encode this many training clips to diffusion targets once, before training, and draw batches from them (default: 4096 for ed-vdm, whose codec and encoder dominate an on-the-fly step; 0 for vdm and d-vdm, which encode every batch)." };
    public Option<double> Lambda { get; } = new("--lambda") { Description = "videofusion: lambda of every frame but the base frame floor(N/2) (equation 7; the share of the base noise).", DefaultValueFactory = _ => 0.5 };
    public Option<int?> ResidualWidth { get; } = new("--residual-width") { Description = "videofusion: base channels of the residual generator (default: half of --width)." };
    public Option<string?> PretrainBase { get; } = new("--pretrain-base") { Description = "videofusion: run folder of a base generator pre-trained with --model videofusion-base (section 3.4)." };
    public Option<double?> BaseLearningRateScale { get; } = new("--base-lr-scale") { Description = "videofusion: learning rate of the base generator as a multiple of --lr (default 0.1 with --pretrain-base, else 1)." };
    public Option<bool> FreezeBase { get; } = new("--freeze-base") { Description = "videofusion: keep the base generator fixed (Table 7)." };
    public Option<bool> NoStopGradient { get; } = new("--no-stop-gradient") { Description = "videofusion: let the non-base frames' loss train the base generator too (Table 7)." };
    public Option<bool> ResidualSeesBase { get; } = new("--residual-sees-base") { Description = "videofusion: condition the residual generator on the base generator's denoised estimate of the base frame (without gradient), so every frame can keep the clip's content; not in the paper, which conditions both generators on a CLIP embedding of the central frame." };
    public Option<bool> ShareNoiseByLabel { get; } = new("--share-noise-by-label") { Description = "videofusion: share the base noise across clips of a subject and the residual noise across clips of an action in each batch (section 4.7; shapes batches become a subjects x actions grid)." };
    public Option<string?> VqVae { get; } = new("--vqvae") { Description = "moso-transformer: run folder of a trained MOSO-VQVAE (train --model moso-vqvae)." };
    public Option<int> Context { get; } = new("--context") { Description = "moso-transformer: given frames K of the prediction task (a multiple of --pool).", DefaultValueFactory = _ => 2 };
    public Option<int> EndFrames { get; } = new("--end-frames") { Description = "moso-transformer: trailing given frames of the interpolation task (a multiple of --pool).", DefaultValueFactory = _ => 2 };
    public Option<string> TaskShares { get; } = new("--tasks") { Description = "moso-transformer: shares of prediction, interpolation and unconditional rows, comma separated.", DefaultValueFactory = _ => "0.7,0.15,0.15" };
    public Option<int> CodebookSize { get; } = new("--codebook-size") { Description = "moso-vqvae: entries of the codebook shared by the motion, scene and object streams (the paper: 16384).", DefaultValueFactory = _ => 512 };
    public Option<int> CodeDim { get; } = new("--code-dim") { Description = "moso-vqvae: width of a codebook entry.", DefaultValueFactory = _ => 32 };
    public Option<int> Pool { get; } = new("--pool") { Description = "moso-vqvae: frames per working pool of the motion encoder's temporal attention (must divide --frames and the context).", DefaultValueFactory = _ => 2 };
    public Option<int> ContentDownsample { get; } = new("--content-downsample") { Description = "moso-vqvae: downsampling of the scene and object token grids (power of 2).", DefaultValueFactory = _ => 4 };
    public Option<int> MotionDownsample { get; } = new("--motion-downsample") { Description = "moso-vqvae: downsampling of the motion token grid (power of 2, at least --content-downsample).", DefaultValueFactory = _ => 8 };
    public Option<long> PreprocessSteps { get; } = new("--preprocess-steps") { Description = "moso-vqvae: steps during which the scene and object encoders read the preprocessed split (appendix A); raw frames afterwards.", DefaultValueFactory = _ => 1000 };
    public Option<double> DiscriminatorWeight { get; } = new("--disc-weight") { Description = "moso-vqvae: weight of the video discriminator's hinge loss (0: none; the paper: 0.1).", DefaultValueFactory = _ => 0.0 };
    public Option<long> DiscriminatorStart { get; } = new("--disc-start") { Description = "moso-vqvae: step at which the discriminator starts.", DefaultValueFactory = _ => 2000 };
    public Option<double> StillFraction { get; } = new("--still-fraction") { Description = "moso-vqvae: share of training clips whose frames stop changing after a random frame (the rest repeat it, like a prediction's pseudo video), so object tokens with still motion draw a still object instead of the empty scene (not in the paper: 0).", DefaultValueFactory = _ => 0.0 };
    public Option<string?> Lpips { get; } = new("--lpips") { Description = "moso-vqvae: LPIPS weights (.safetensors, see evaluate) for the perceptual term of the loss." };
    public Option<int?> EncoderWidth { get; } = new("--encoder-width") { Description = "moso-vqvae: channels of the motion encoder, or with --no-decompose of the frame-wise encoder (default: --width; the decoder keeps --width), e.g. to give the ablation MOSO's parameter count." };
    public Option<bool> NoDecompose { get; } = new("--no-decompose") { Description = "moso-vqvae / moso-transformer: the paper's non-decomposed ablation (one frame-wise encoder on raw frames, no scene/object streams)." };
    public Option<string?> Init { get; } = new("--init") { Description = "moso-transformer: start the transformers from another moso-transformer run's weights (its EMA when saved), e.g. to fine-tune onto a retrained --vqvae; the transformer sizes must match, and --resume from this run's own checkpoint takes precedence." };
    public Option<string?> FinetuneDecoder { get; } = new("--finetune-decoder") { Description = "moso-vqvae: start from this moso-vqvae run and train its decoder alone (encoders and codebook frozen, so its tokens and the transformers trained over them stay valid; the architecture comes from the run, and the size options are ignored); use the result with predict/interpolate/generate --decoder." };
    public Option<int> Layers { get; } = new("--layers") { Description = "moso-transformer: blocks of TransformerSO/G.", DefaultValueFactory = _ => 4 };
    public Option<int> MotionLayers { get; } = new("--motion-layers") { Description = "moso-transformer: blocks of TransformerM.", DefaultValueFactory = _ => 4 };
    public Option<int> Heads { get; } = new("--heads") { Description = "moso-transformer: attention heads.", DefaultValueFactory = _ => 4 };
    public Option<long> CheckpointEvery { get; } = new("--checkpoint-every") { Description = "Steps between checkpoints.", DefaultValueFactory = _ => 500 };
    public Option<long> PreviewEvery { get; } = new("--preview-every") { Description = "Steps between preview GIFs (0: none).", DefaultValueFactory = _ => 500 };
    public Option<double?> TimeLimit { get; } = new("--time-limit") { Description = "Stop (with a checkpoint) after this many minutes." };
    public Option<string> CachePrecision { get; } = new Option<string>("--cache-precision") { Description = "Precision of the networks that encode the target cache: bf16 (default; about 4x faster convolutions, latents within ~1% of fp32) or fp32 (bit-identical to on-the-fly targets).", DefaultValueFactory = _ => "bf16" }.AcceptOnlyFromAmong("bf16", "fp32");
    public Option<bool> Bf16 { get; } = new("--bf16") { Description = "bfloat16 autocast for the forward pass; trains correctly, but slower wherever oneDNN cannot run the bf16 backward pass (4-12x on the development machine; see README)." };
    public Option<DirectoryInfo> Out { get; } = new("--out") { Description = "Run folder (checkpoint/, log.csv, log.jsonl, loss.png, previews/).", Required = true };
    public Option<bool> NoFirstFrame { get; } = new("--no-first-frame") { Description = "vdm: no first-frame conditioning; the model generates whole clips from the label or caption (the VDM baseline of the VideoFusion paper)." };
    public Option<int?> Patch { get; } = new("--patch") { Description = "vdm, d-vdm, ed-vdm: fold P x P pixel patches into channels before the U-Net and unfold them after it, so its levels work at 1/P of the size (\"simple diffusion\"; default 1: none, the papers' U-Net)." };

    public Option<bool> NoFramePositions { get; } = new("--no-frame-positions") { Description = "vdm, d-vdm, ed-vdm: leave out the U-Net's absolute frame-index embedding (the VDM U-Net as published, whose temporal attention sees relative distances only)." };
    public Option<bool> Resume { get; } = new("--resume") { Description = "Continue from the run folder's checkpoint." };
    public Option<int> Seed { get; } = CommonOptions.Seed();
    public Option<FileInfo?> Json { get; } = CommonOptions.Json();

    public IEnumerable<Option> All =>
    [
        Model, Data, Frames, Size, Steps, Batch, LearningRate, Warmup, LearningRateDecay, MinLearningRate, Width, Multipliers, Condition, Prediction, LossWeighting, SnrGamma, DifferenceScale, Differences, VectorScale, VectorLossWeight, ActiveBlockWeight, ActiveBlockThreshold, Patch, NoFramePositions, NoFirstFrame, Vae, Block, SearchRange, VectorCost,
        LatentChannels, Residuals, VaeLoss, CacheClips, CachePrecision, Lambda, ResidualWidth, PretrainBase, BaseLearningRateScale, FreezeBase, NoStopGradient, ResidualSeesBase, ShareNoiseByLabel,
        VqVae, Context, EndFrames, TaskShares, CodebookSize, CodeDim, Pool, ContentDownsample, MotionDownsample, PreprocessSteps, DiscriminatorWeight, DiscriminatorStart, StillFraction, Lpips, EncoderWidth, NoDecompose, Init, FinetuneDecoder, Layers, MotionLayers, Heads,
        CheckpointEvery, PreviewEvery, TimeLimit, Bf16, Out, Resume, Seed, Json,
    ];
}
