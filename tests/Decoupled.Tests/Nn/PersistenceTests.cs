using System.Text.Json;
using Decoupled.IO;
using Decoupled.IO.Safetensors;
using Decoupled.Nn.UNet;
using Decoupled.Runtime;
using Decoupled.Tests.Video;
using Decoupled.Tests.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.Nn;

/// <summary>
/// Runs alone (<see cref="TorchRngCollection"/>): these tests train or compare outputs bit for
/// bit, so they must not share torch's global RNG (or a DECOUPLED_ONEDNN=forward toggle in
/// TorchRuntime.Backward) with tests running in parallel.
/// </summary>
[Collection(TorchRngCollection.Name)]
public class PersistenceTests
{
    private static readonly UNet3DConfig Conditioned = NnTesting.Tiny with { NumClasses = 4, TextDim = 6, FirstFrameChannels = 4, FirstFrameFactor = 2 };

    [Fact]
    public void WeightsRoundTripThroughSafetensorsGiveIdenticalOutputs()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var source = new UNet3D(Conditioned);
        NnTesting.Perturb(source);
        var target = new UNet3D(Conditioned);
        using var dir = new TempDir();
        var path = dir.File("model.safetensors");
        ModuleWeights.Save(path, source);
        var report = ModuleWeights.Load(path, target);
        Assert.Empty(report.Missing);
        Assert.Empty(report.Unexpected);

        source.eval();
        target.eval();
        var x = torch.randn([2, 3, 4, 8, 8]);
        var cond = NnTesting.RandomConditioning(Conditioned, 2, 8, 8) with { DropMask = torch.tensor(new[] { false, true }) };
        var expected = source.call(x, NnTesting.Timesteps(2), cond);
        var actual = target.call(x, NnTesting.Timesteps(2), cond);
        Assert.True(expected.abs().max().item<float>() > 0);
        Assert.True(expected.eq(actual).all().item<bool>(), "outputs differ after a save/load round trip");
    }

    [Fact]
    public void StateDictNamesFollowTheArchitecture()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var unet = new UNet3D(Conditioned);
        var names = unet.state_dict().Keys.ToHashSet();
        string[] expected =
        [
            "condition.time_mlp.0.weight", "condition.time_mlp.2.weight", "condition.class_embedding.weight",
            "condition.text_projection.weight", "condition.null_text", "condition.combine.weight",
            "first_frame.reduce.weight", "first_frame.conv.weight", "first_frame.expand.weight", "first_frame.shortcut.weight",
            "conv_in.weight",
            "down.0.blocks.0.resnet.norm1.weight", "down.0.blocks.0.resnet.conv1.weight", "down.0.blocks.0.resnet.to_scale_shift.weight",
            "down.0.blocks.0.resnet.conv2.weight", "down.0.blocks.0.temporal_attention.attention.to_qkv.weight",
            "down.0.blocks.0.temporal_attention.relative_position_bias.table", "down.0.downsample.conv.weight",
            "down.1.blocks.0.resnet.skip.weight", "down.1.blocks.0.spatial_attention.attention.to_out.weight",
            "middle.resnet1.conv1.weight", "middle.spatial_attention.norm.weight", "middle.temporal_attention.attention.to_out.bias", "middle.resnet2.conv2.weight",
            "up.0.blocks.0.resnet.skip.weight", "up.0.blocks.0.spatial_attention.attention.to_qkv.weight", "up.0.upsample.conv.weight",
            "up.1.blocks.0.resnet.conv1.weight", "norm_out.weight", "conv_out.weight",
        ];
        foreach (var name in expected)
            Assert.True(names.Contains(name), $"missing {name}; have {string.Join(", ", names.Order())}");
        Assert.DoesNotContain("down.1.downsample.conv.weight", names);
        Assert.DoesNotContain("up.1.upsample.conv.weight", names);
        Assert.DoesNotContain("down.0.blocks.0.spatial_attention.norm.weight", names);
        var odd = names.Where(n => !System.Text.RegularExpressions.Regex.IsMatch(n, "^[a-z0-9_.]+$")).ToList();
        Assert.True(odd.Count == 0, $"state-dict names must be snake_case: {string.Join(", ", odd)}");
        var parameters = unet.parameters().ToList();
        Assert.Equal(parameters.Count, parameters.Distinct().Count());
        Assert.Equal(parameters.Count, unet.named_parameters().Count());
        Assert.Equal(parameters.Sum(p => p.numel()), unet.ParameterCount);
    }

    [Fact]
    public void ConfigRoundTripsThroughSnakeCaseJson()
    {
        var json = JsonFile.Serialize(Conditioned);
        Assert.Contains("\"channel_multipliers\"", json);
        Assert.Contains("\"first_frame_factor\": 2", json);
        Assert.Contains("\"text_dim\": 6", json);
        Assert.DoesNotContain("levels\"", json.Replace("\"attention_levels\"", ""));
        var back = JsonSerializer.Deserialize<UNet3DConfig>(json, JsonFile.Options)!;
        Assert.Equal(json, JsonFile.Serialize(back));
        Assert.Equal(Conditioned.ChannelMultipliers, back.ChannelMultipliers);
        Assert.Equal(Conditioned with { ChannelMultipliers = back.ChannelMultipliers, AttentionLevels = back.AttentionLevels }, back);

        var unconditional = JsonSerializer.Deserialize<UNet3DConfig>(JsonFile.Serialize(NnTesting.Tiny), JsonFile.Options)!;
        Assert.Null(unconditional.NumClasses);
        Assert.Null(unconditional.TextDim);
        Assert.Equal(0, unconditional.FirstFrameChannels);
    }

    [Fact]
    public void MissingFieldsTakeTheDefaults()
    {
        var config = JsonSerializer.Deserialize<UNet3DConfig>("{\"base_channels\": 32}", JsonFile.Options)!;
        Assert.Equal(32, config.BaseChannels);
        Assert.Equal(new UNet3DConfig().ChannelMultipliers, config.ChannelMultipliers);
        Assert.Equal(8, config.NormGroups);
    }
}
