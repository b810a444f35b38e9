using Decoupled.IO;
using Decoupled.Metrics.Reference;
using Decoupled.Pipelines.Checkpoints;
using Decoupled.Pipelines.Data;
using Decoupled.Pipelines.Evaluation;
using Decoupled.Pipelines.Training;
using Decoupled.Tensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Pipelines.Reference;

/// <summary>
/// Trains the reference classifier (<see cref="ShapesClassifier"/>) with cross-entropy on the
/// action labels. Its "previews" are numbers rather than pictures: the accuracy on held-out shapes
/// subjects, written to <c>preview.json</c>.
/// </summary>
public sealed class ShapesClassifierModel : ITrainableModel<ClassifierBatch>
{
    /// <summary>A model of <paramref name="config"/> with fresh weights.</summary>
    public ShapesClassifierModel(ShapesClassifierTrainingConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.ClassNames.Count != config.Classifier.Classes)
            throw new UserInputException($"shapes classifier: {config.ClassNames.Count} class names for {config.Classifier.Classes} classes");
        Config = config;
        Classifier = new ShapesClassifier(config.Classifier);
    }

    /// <inheritdoc />
    IModelConfig ITrainableModel<ClassifierBatch>.Config => Config;

    /// <summary>The configuration.</summary>
    public ShapesClassifierTrainingConfig Config { get; }

    /// <summary>The network being trained.</summary>
    public ShapesClassifier Classifier { get; }

    /// <inheritdoc />
    public nn.Module Network => Classifier;

    /// <inheritdoc />
    public nn.Module CreateNetwork() => new ShapesClassifier(Config.Classifier);

    /// <summary>Held-out clips each preview scores (default: 8 per action, test-split subjects).</summary>
    public int PreviewClips { get; init; } = 88;

    /// <summary>A model with the weights of a checkpoint folder (its EMA weights when it has them), in eval mode.</summary>
    public static ShapesClassifierModel Load(string checkpoint, bool preferEma = true)
    {
        var config = CheckpointFolder.LoadConfig<ShapesClassifierTrainingConfig>(checkpoint, ShapesClassifierTrainingConfig.Type);
        var model = new ShapesClassifierModel(config);
        CheckpointFolder.LoadWeights(checkpoint, model.Classifier, useEma: preferEma && CheckpointFolder.HasEma(checkpoint));
        model.Classifier.eval();
        return model;
    }

    /// <summary>The checkpoint's classifier as a metric network (EMA weights when present).</summary>
    public static ShapesClassifierExtractor LoadExtractor(string checkpoint) => new(Load(checkpoint).Classifier);

    /// <inheritdoc />
    public Tensor Loss(ClassifierBatch batch, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var scope = NewDisposeScope();
        var logits = Classifier.call(batch.Clips);
        return nn.functional.cross_entropy(logits, batch.Labels).MoveToOuterDisposeScope();
    }

    /// <summary>Writes <c>preview.json</c>: step, held-out accuracy overall and per action.</summary>
    public void Preview(string folder, long step, nn.Module weights)
    {
        var network = (ShapesClassifier)weights;
        var c = Config.Classifier;
        var items = ShapesEvaluationSet.Create(PreviewClips, c.Frames, c.Height, c.Width, seed: 12345);
        var predicted = Predict(network, items);
        var perAction = Config.ClassNames
            .Select((name, id) => (name, id, mine: Enumerable.Range(0, items.Count).Where(i => items[i].ClassId == id).ToList()))
            .Where(a => a.mine.Count > 0)
            .Select(a => new { action = a.name, clips = a.mine.Count, accuracy = a.mine.Count(i => predicted[i] == a.id) / (double)a.mine.Count })
            .ToList();
        double accuracy = Enumerable.Range(0, items.Count).Count(i => predicted[i] == items[i].ClassId) / (double)items.Count;
        JsonFile.Write(Path.Combine(folder, "preview.json"), new { step, clips = items.Count, accuracy, per_action = perAction });
    }

    /// <summary>The class <paramref name="network"/> gives each clip (argmax of the logits), in batches of <paramref name="batchSize"/>.</summary>
    public static int[] Predict(ShapesClassifier network, IReadOnlyList<LabeledClip> items, int batchSize = 16)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(items);
        var predicted = new List<int>(items.Count);
        using var noGrad = torch.no_grad();
        for (int start = 0; start < items.Count; start += batchSize)
        {
            using var scope = NewDisposeScope();
            var clips = ClipTensor.ToBatch(items.Skip(start).Take(batchSize).Select(i => i.Clip).ToList());
            predicted.AddRange(network.call(clips).argmax(1).data<long>().Select(v => (int)v));
        }
        return [.. predicted];
    }
}
