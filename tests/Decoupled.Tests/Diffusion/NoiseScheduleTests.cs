using System.Text.Json;
using Decoupled.Generators.Diffusion;
using Decoupled.IO;

namespace Decoupled.Tests.Diffusion;

/// <summary>Schedule tables against their closed forms, computed independently in double.</summary>
public class NoiseScheduleTests
{
    [Fact]
    public void LinearAlphaBarIsTheProductOfOneMinusBeta()
    {
        var schedule = NoiseSchedule.Linear();
        double product = 1.0;
        var expected = new Dictionary<int, double>();
        for (int t = 0; t < 1000; t++)
        {
            product *= 1.0 - (1e-4 + (0.02 - 1e-4) * t / 999.0);
            if (t is 0 or 499 or 999) expected[t] = product;
        }
        foreach (var (t, value) in expected)
            Assert.Equal(value, schedule.AlphaBar[t], 1e-15);

        // Anchors from an independent Python product of the same betas.
        Assert.Equal(0.9999, schedule.AlphaBar[0], 1e-15);
        Assert.Equal(0.07858724288177821, schedule.AlphaBar[499], 1e-13);
        Assert.Equal(4.0358297653756754e-05, schedule.AlphaBar[999], 1e-16);
        Assert.Equal(1e-4, schedule.Betas[0], 1e-18);
        Assert.Equal(0.02, schedule.Betas[999], 1e-17);
    }

    [Fact]
    public void CosineAlphaBarFollowsTheSquaredCosineAndClipsTheLastBeta()
    {
        const double s = 0.008;
        static double F(double t) => Math.Pow(Math.Cos((t / 1000.0 + s) / (1 + s) * Math.PI / 2), 2);
        var schedule = NoiseSchedule.Cosine();

        // Table index i is the paper's step i+1, so alphaBar[i] = f(i+1) / f(0).
        foreach (int i in new[] { 0, 1, 250, 499, 900, 998 })
            Assert.Equal(F(i + 1) / F(0), schedule.AlphaBar[i], 1e-12);

        // f(T) = 0 would make beta_T = 1; the clip keeps it at 0.999.
        Assert.Equal(0.999, schedule.Betas[999], 1e-15);
        Assert.Equal(schedule.AlphaBar[998] * (1 - 0.999), schedule.AlphaBar[999], 1e-18);
        Assert.True(schedule.AlphaBar[999] > 0);
        Assert.All(schedule.Betas.Take(999), beta => Assert.True(beta < 0.999));
    }

    [Theory]
    [InlineData(NoiseScheduleKind.Linear)]
    [InlineData(NoiseScheduleKind.Cosine)]
    public void PosteriorMatchesEquationsThreeToFive(NoiseScheduleKind kind)
    {
        var schedule = new NoiseSchedule(new NoiseScheduleConfig(kind));
        var random = new Random(3);
        foreach (int t in new[] { 1, 2, 10, 500, 998, 999 })
        {
            double beta = schedule.Betas[t], alphaBar = schedule.AlphaBar[t], alphaBarPrev = schedule.AlphaBar[t - 1];
            Assert.Equal(alphaBarPrev, schedule.AlphaBarPrevious[t], 1e-15);
            Assert.Equal(beta * (1 - alphaBarPrev) / (1 - alphaBar), schedule.PosteriorVariance[t], 1e-15);
            Assert.Equal(Math.Log(schedule.PosteriorVariance[t]), schedule.PosteriorLogVarianceClipped[t], 1e-12);

            // Equation 4 (coefficients) must equal equation 5 (mean written with eps) for any x_0, eps.
            double x0 = random.NextDouble() * 2 - 1, eps = random.NextDouble() * 2 - 1;
            double xt = Math.Sqrt(alphaBar) * x0 + Math.Sqrt(1 - alphaBar) * eps;
            double fromCoefficients = schedule.PosteriorMeanCoefX0[t] * x0 + schedule.PosteriorMeanCoefXt[t] * xt;
            double fromEpsilon = (xt - beta / Math.Sqrt(1 - alphaBar) * eps) / Math.Sqrt(1 - beta);
            Assert.Equal(fromEpsilon, fromCoefficients, 1e-9);
        }

        // The first step has zero variance; its clipped log borrows the second step's.
        Assert.Equal(0.0, schedule.PosteriorVariance[0]);
        Assert.Equal(1.0, schedule.PosteriorMeanCoefX0[0], 1e-12);
        Assert.Equal(Math.Log(schedule.PosteriorVariance[1]), schedule.PosteriorLogVarianceClipped[0], 1e-12);
        Assert.Equal(1.0, schedule.AlphaBarAt(-1));
    }

    [Fact]
    public void ConfigRoundTripsThroughSnakeCaseJson()
    {
        var config = new NoiseScheduleConfig(NoiseScheduleKind.Cosine, TrainSteps: 200, CosineOffset: 0.01);
        string json = JsonFile.Serialize(config);
        Assert.Contains("\"train_steps\": 200", json);
        Assert.Contains("\"kind\": \"cosine\"", json);
        Assert.Contains("\"cosine_offset\": 0.01", json);
        Assert.Equal(config, JsonSerializer.Deserialize<NoiseScheduleConfig>(json, JsonFile.Options));

        var options = new SamplerOptions(PredictionType.Velocity, ClipSample: false, Spacing: TimestepSpacing.Trailing);
        Assert.Equal(options, JsonSerializer.Deserialize<SamplerOptions>(JsonFile.Serialize(options), JsonFile.Options));
    }

    [Theory]
    [InlineData(NoiseScheduleKind.Linear, 0, 1e-4, 0.02, "train_steps")]
    [InlineData(NoiseScheduleKind.Linear, 1000, 0.0, 0.02, "beta_start")]
    [InlineData(NoiseScheduleKind.Linear, 1000, 0.03, 0.02, "beta_start")]
    [InlineData(NoiseScheduleKind.Linear, 1000, 1e-4, 1.0, "beta_end")]
    public void InvalidConfigsAreRejectedByName(NoiseScheduleKind kind, int steps, double start, double end, string field)
    {
        var error = Assert.Throws<ArgumentException>(() => new NoiseSchedule(new NoiseScheduleConfig(kind, steps, start, end)));
        Assert.Contains(field, error.Message);
        Assert.Contains("max_beta", Assert.Throws<ArgumentException>(() => NoiseSchedule.Cosine(maxBeta: 1.0)).Message);
        Assert.Contains("cosine_offset", Assert.Throws<ArgumentException>(() => NoiseSchedule.Cosine(offset: -0.1)).Message);
    }

    [Fact]
    public void TimestepsOutsideTheScheduleAreRejected()
    {
        var schedule = NoiseSchedule.Linear(10);
        Assert.Contains("0..9", Assert.Throws<ArgumentException>(() => schedule.AlphaBarAt(10)).Message);
        Assert.Throws<ArgumentException>(() => schedule.AlphaBarAt(-2));
        Assert.Throws<ArgumentException>(() => schedule.SignalToNoise(-1));
    }
}
