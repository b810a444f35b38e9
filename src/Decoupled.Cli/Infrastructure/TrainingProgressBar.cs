using Decoupled.Pipelines.Training;
using Spectre.Console;

namespace Decoupled.Cli.Infrastructure;

/// <summary>Renders a trainer's progress events as a Spectre.Console bar (loss, it/s, ETA), or plain lines when not interactive.</summary>
public static class TrainingProgressBar
{
    /// <summary>Runs <paramref name="train"/> while showing the progress of <paramref name="trainer"/>.</summary>
    public static async Task RunAsync<TBatch>(Trainer<TBatch> trainer, long steps, Action train)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            var plain = new PlainTextProgress(Console.Out);
            trainer.Progress += plain.Report;
            await Task.Run(train);
            return;
        }
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask("training", maxValue: steps);
                trainer.Progress += p =>
                {
                    task.Value = p.Step;
                    task.Description = $"step {p.Step}/{p.Steps} loss {p.Loss:0.0000} {p.StepsPerSecond:0.00} it/s";
                };
                await Task.Run(train);
            });
    }
}
