using System.CommandLine;
using Decoupled.Pipelines.TargetSpaces;
using Decoupled.Pipelines.VideoDiffusion;

namespace Decoupled.Cli.Infrastructure;

/// <summary><c>--dead-zone X</c> of generate and evaluate: ED-VDM drops residual latents smaller than X at decoding.</summary>
internal static class DeadZoneOption
{
    /// <summary>A fresh option (System.CommandLine options belong to one command).</summary>
    public static Option<double> Create() => new("--dead-zone")
    {
        Description = "ED-VDM: blocks whose sampled residual latent is smaller than this (RMS over channels, in unit-variance units) get no residual, as a codec drops small coefficients (0: decode every latent).",
        DefaultValueFactory = _ => 0.0,
    };

    /// <summary>Sets the dead zone on <paramref name="model"/>'s decoder; a non-zero value for any other model is a user error.</summary>
    public static void Apply(VideoDiffusionModel model, double deadZone)
    {
        if (!(deadZone >= 0 && double.IsFinite(deadZone))) throw new UserInputException($"--dead-zone must be a non-negative number, got {deadZone}");
        if (model.TargetSpace is MotionResidualTargetSpace motionResiduals) motionResiduals.LatentDeadZone = deadZone;
        else if (deadZone > 0) throw new UserInputException($"--dead-zone applies to ed-vdm models only; this checkpoint holds a {model.Config.ModelType} model");
    }
}
