using System.CommandLine;
using Decoupled.Metrics.Reference;
using Decoupled.Pipelines.Data;
using Decoupled.Pipelines.Reference;
using Decoupled.Pipelines.Training;
using TorchSharp;

namespace Decoupled.Cli.Commands;

/// <summary>Builds the training run of the reference shapes classifier (<c>fd_shapes</c>, <c>classifier_accuracy</c>) from the <c>train</c> options.</summary>
internal static class ShapesClassifierTraining
{
    /// <summary>Base channels when <c>--width</c> is not given: the U-Net's default of 32 would quadruple a network meant to train in minutes.</summary>
    public const int DefaultWidth = 16;

    /// <summary>The run the options describe; <c>--batch</c> counts clips of the shapes train subjects.</summary>
    public static TrainingSetup Prepare(ParseResult parse, TrainOptions o)
    {
        if (parse.GetValue(o.Data) != "shapes")
            throw new UserInputException($"--model {ShapesClassifierTrainingConfig.Type}: trains on --data shapes only (it scores the shapes actions), got '{parse.GetValue(o.Data)}'");
        int k = parse.GetValue(o.Frames), s = parse.GetValue(o.Size);
        bool widthGiven = parse.GetResult(o.Width) is { Implicit: false };
        long seed = parse.GetValue(o.Seed);
        var source = new ShapesClipSource(k, s, s, seed);
        var config = new ShapesClassifierTrainingConfig
        {
            Classifier = new ShapesClassifierConfig
            {
                Frames = k, Height = s, Width = s, BaseChannels = widthGiven ? parse.GetValue(o.Width) : DefaultWidth, Classes = source.ClassNames.Count,
            },
            ClassNames = source.ClassNames, Dataset = source.Name,
        };
        var options = TrainCommand.TrainingOptionsFrom(parse, o);
        torch.manual_seed(seed);
        var model = new ShapesClassifierModel(config);
        var trainer = new Trainer<ClassifierBatch>(model, options, parse.GetValue(o.Out)!.FullName);
        long parameters = model.Classifier.parameters().Sum(p => p.numel());
        return TrainingSetup.For(
            $"training the reference shapes classifier ({parameters:N0} parameters, {config.Classifier.FeatureDim}-d features, {config.Classifier.Classes} actions) on {k}x{s}x{s} shapes clips, {options.BatchSize} clips a step, {options.Steps} steps -> {trainer.Folder.Path} (held-out accuracy in previews/*/preview.json)",
            parameters, trainer, options.Steps, step => ClassifierBatch.Draw(source, step, options.BatchSize));
    }
}
