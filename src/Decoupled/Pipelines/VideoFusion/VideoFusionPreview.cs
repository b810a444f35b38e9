using Decoupled.Metrics.ActionAccuracy;
using Decoupled.Pipelines.Data;
using Decoupled.Pipelines.VideoDiffusion;
using Decoupled.Video;
using Decoupled.Video.Datasets.Shapes;
using static TorchSharp.torch;

namespace Decoupled.Pipelines.VideoFusion;

/// <summary>The training previews of VideoFusion: samples next to real clips, and the content/motion control of Figure 1.</summary>
internal static class VideoFusionPreview
{
    /// <summary>Writes <c>sample_i.gif</c>, <c>samples.png</c> (real and generated rows, then two videos of one base noise) and, for shapes, <c>preview.json</c>.</summary>
    public static void Write(VideoFusionModel model, string folder, long step, nn.Module weights)
    {
        var config = model.Config;
        var source = model.PreviewSource ?? new ShapesClipSource(config.Frames, config.Height, config.Width, seed: 12345, ShapesSplit.Test);
        var items = Enumerable.Range(0, 4).Select(i => source.Draw(0, i)).ToList();
        var options = new VideoFusionSampleOptions { Steps = 25 };
        IReadOnlyList<int>? Labels(IEnumerable<LabeledClip> clips) => config.Condition == ConditionKind.Label ? clips.Select(i => i.ClassId).ToList() : null;
        IReadOnlyList<string>? Captions(IEnumerable<LabeledClip> clips) => config.Condition == ConditionKind.Text ? clips.Select(i => i.Caption).ToList() : null;

        var samples = model.Sample(items.Select((_, i) => NoiseSeeds.From(7 + i)).ToList(), Labels(items), Captions(items), options, weights);
        var sameContent = model.Sample([new NoiseSeeds(100, 200), new NoiseSeeds(100, 201)], Labels([items[0], items[0]]), Captions([items[0], items[0]]), options, weights);
        var rows = new List<VideoClip>();
        var labels = new List<string>();
        for (int i = 0; i < samples.Length; i++)
        {
            VideoWriter.WriteGif(samples[i], Path.Combine(folder, $"sample_{i}.gif"));
            rows.Add(items[i].Clip);
            rows.Add(samples[i]);
            labels.Add("real: " + items[i].Caption);
            labels.Add("generated");
        }
        rows.AddRange(sameContent);
        labels.Add("base noise 100, residual 200");
        labels.Add("base noise 100, residual 201");
        ContactSheet.Write(Path.Combine(folder, "samples.png"), rows, new ContactSheetOptions { Labels = labels });
        if (config.Dataset == "shapes" && config.Condition == ConditionKind.Label)
        {
            var accuracy = ActionAccuracyMetric.Evaluate(samples, items.Select(i => i.ClassId).ToList());
            IO.JsonFile.Write(Path.Combine(folder, "preview.json"), new { step, action_accuracy = accuracy.Accuracy, captions = items.Select(i => i.Caption) });
        }
    }
}
