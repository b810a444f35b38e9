using System.CommandLine;
using Decoupled.Pipelines.TargetSpaces;
using Decoupled.Pipelines.VideoDiffusion;

namespace Decoupled.Cli.Infrastructure;

/// <summary><c>--dead-zone X</c> of generate and evaluate: D-VDM and ED-VDM drop sampled differences / residual latents smaller than X at decoding.</summary>
internal static class DeadZoneOption
{
    /// <summary>A fresh option (System.CommandLine options belong to one command).</summary>
    public static Option<double> Create() => new("--dead-zone")
    {
        Description = "D-VDM and ED-VDM: sampled frame differences (per pixel) or residual latents (per block) smaller than this (RMS over channels, in the model's scaled units) decode as zero, as a codec drops small coefficients (0: keep everything).",
        DefaultValueFactory = _ => 0.0,
    };

    /// <summary>Sets the dead zone on <paramref name="model"/>'s decoder; a non-zero value for any other model is a user error.</summary>
    public static void Apply(VideoDiffusionModel model, double deadZone)
    {
        if (!(deadZone >= 0 && double.IsFinite(deadZone))) throw new UserInputException($"--dead-zone must be a non-negative number, got {deadZone}");
        if (model.TargetSpace is IDeadZoneDecoding decoding) decoding.DeadZone = deadZone;
        else if (deadZone > 0) throw new UserInputException($"--dead-zone applies to d-vdm and ed-vdm models; this checkpoint holds a {model.Config.ModelType} model");
    }
}
