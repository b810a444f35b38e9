namespace Decoupled.Metrics.ActionAccuracy;

/// <summary>
/// The motion measured on a track, with one score per motion family. A score of 1 means "clearly
/// present" (the smallest motion the dataset makes is about 2); below 0.5 the family is absent.
/// </summary>
/// <param name="Presence">Fraction of frames in which the object was found.</param>
/// <param name="Dx">Robust net horizontal travel over the clip, in pixels (positive = right).</param>
/// <param name="Dy">Robust net vertical travel, in pixels (positive = down).</param>
/// <param name="LogSizeChange">Robust change of ln(linear size) over the clip (positive = grows).</param>
/// <param name="BounceDepth">How far the object dips below both its start and end height, in pixels (0 if it does not).</param>
/// <param name="TranslationScore">Net travel relative to the translation reference.</param>
/// <param name="BounceScore">Bounce depth relative to the bounce reference.</param>
/// <param name="ScaleScore">Size change relative to the scale reference.</param>
public sealed record MotionEvidence(double Presence, double Dx, double Dy, double LogSizeChange, double BounceDepth,
    double TranslationScore, double BounceScore, double ScaleScore);
