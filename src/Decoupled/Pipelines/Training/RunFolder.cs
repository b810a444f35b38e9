using System.Globalization;

namespace Decoupled.Pipelines.Training;

/// <summary>
/// The files of a training run:
/// <code>
/// RUN/checkpoint/          the latest checkpoint (config.json, model.safetensors, ema.safetensors, optimizer and RNG state), swapped in atomically
/// RUN/log.csv              step,loss,lr,grad_norm,seconds,items_per_second
/// RUN/log.jsonl            the same rows, one JSON object each
/// RUN/loss.png             the loss curve, redrawn at every checkpoint
/// RUN/previews/step_NNNNNN/ whatever the model's Preview writes (GIFs, contact sheets)
/// </code>
/// </summary>
/// <param name="Path">The run folder.</param>
public sealed record RunFolder(string Path)
{
    /// <summary>The latest checkpoint; <c>--resume</c> continues from it.</summary>
    public string Checkpoint => Combine("checkpoint");

    /// <summary>The CSV loss log.</summary>
    public string LogCsv => Combine("log.csv");

    /// <summary>The JSON-lines loss log.</summary>
    public string LogJsonl => Combine("log.jsonl");

    /// <summary>The loss-curve image.</summary>
    public string LossPlot => Combine("loss.png");

    /// <summary>The preview folder of <paramref name="step"/>.</summary>
    public string Preview(long step) => Combine("previews", "step_" + step.ToString("D6", CultureInfo.InvariantCulture));

    private string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);
}
