using Decoupled.Video;

namespace Decoupled.Pipelines.Data;

/// <summary>One training or evaluation example: a clip with its class id and caption.</summary>
/// <param name="Clip">The frames.</param>
/// <param name="ClassId">Class (action) id, 0-based.</param>
/// <param name="Caption">Text condition.</param>
/// <param name="SubjectId">Subject (identity) id where the dataset has one (shapes), else -1.</param>
public sealed record LabeledClip(VideoClip Clip, int ClassId, string Caption, int SubjectId = -1);
