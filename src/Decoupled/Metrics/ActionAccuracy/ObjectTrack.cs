namespace Decoupled.Metrics.ActionAccuracy;

/// <summary>The object followed through a clip: one observation per frame plus the colour it was found by.</summary>
/// <param name="Height">Frame height of the clip.</param>
/// <param name="Width">Frame width of the clip.</param>
/// <param name="Observations">One observation per frame, in frame order.</param>
/// <param name="ObjectColour">Estimated object colour (R, G, B), or null when no object stood out from the background.</param>
public sealed record ObjectTrack(int Height, int Width, IReadOnlyList<ObjectObservation> Observations, (byte R, byte G, byte B)? ObjectColour)
{
    /// <summary>Number of frames.</summary>
    public int Frames => Observations.Count;

    /// <summary>Fraction of frames in which the object was found.</summary>
    public double Presence => Frames == 0 ? 0 : Observations.Count(o => o.Found) / (double)Frames;
}
