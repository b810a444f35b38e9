using static TorchSharp.torch;

namespace Decoupled.Pipelines.TargetSpaces;

/// <summary>The one dead-zone rule both sequential decoders (D-VDM, ED-VDM) apply (<see cref="IDeadZoneDecoding.DeadZone"/>).</summary>
internal static class DeadZoneMask
{
    /// <summary><paramref name="value"/> when it is a valid dead zone (finite, non-negative); otherwise throws.</summary>
    public static double Validated(double value) =>
        value >= 0 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(nameof(value), "the dead zone must be a non-negative number");

    /// <summary>1 where the RMS of <paramref name="values"/> over channels (dimension 1) reaches <paramref name="deadZone"/>, else 0; channels kept as size 1.</summary>
    public static Tensor KeepMask(Tensor values, double deadZone) =>
        values.square().mean([1], keepdim: true).sqrt().ge(deadZone).to(values.dtype);
}
