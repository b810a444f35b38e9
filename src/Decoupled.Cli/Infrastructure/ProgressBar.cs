using Spectre.Console;

namespace Decoupled.Cli.Infrastructure;

/// <summary>A Spectre.Console progress bar with rate and ETA; plain and quiet when output is not a terminal.</summary>
public static class ProgressBar
{
    /// <summary>Runs <paramref name="work"/>, which calls the given tick once per finished item (thread-safe).</summary>
    public static async Task RunAsync(string description, int total, Func<Action, Task> work)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive)
        {
            await work(() => { });
            return;
        }
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                     new RateColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(description), maxValue: total);
                var gate = new object();
                await work(() => { lock (gate) task.Increment(1); });
                task.Value = task.MaxValue;
            });
    }

    /// <summary>Items per second, shown next to the bar.</summary>
    private sealed class RateColumn : ProgressColumn
    {
        public override Spectre.Console.Rendering.IRenderable Render(Spectre.Console.Rendering.RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(task.Speed is { } s ? $"{s:0.0}/s" : "-/s");
    }
}
