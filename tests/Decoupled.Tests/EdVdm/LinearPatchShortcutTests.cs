using System.Text.Json;
using Decoupled.IO;
using Decoupled.Nn.Autoencoders;
using Decoupled.Runtime;
using Decoupled.Tests.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.EdVdm;

[Collection(TorchRngCollection.Name)]
public class LinearPatchShortcutTests
{
    [Fact]
    public void WithIdentityWeightsEncodingThenDecodingGivesThePatchesBack()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        const int factor = 4, patch = 3 * factor * factor;
        var encoder = new LinearPatchShortcut(3, patch, factor, encode: true);
        var decoder = new LinearPatchShortcut(3, patch, factor, encode: false);
        using (no_grad())
        {
            foreach (var module in new[] { encoder, decoder })
            {
                var parameters = module.named_parameters().ToDictionary(p => p.name, p => p.parameter);
                parameters["proj.weight"].copy_(eye(patch));
                parameters["proj.bias"].zero_();
            }
        }
        var x = randn(2, 3, 8, 12);
        var code = encoder.call(x);
        Assert.Equal(new long[] { 2, patch, 2, 3 }, code.shape);
        // Latent vector (1, 0) holds exactly the pixels of the patch at rows 4-7, columns 0-3.
        var patchPixels = x[1, .., 4..8, 0..4].reshape(-1);
        var latentVector = code[1, .., 1, 0];
        Assert.True(patchPixels.sort().Values.allclose(latentVector.sort().Values));
        Assert.True(decoder.call(code).allclose(x));
    }

    [Fact]
    public void TheShortcutAddsToTheMeanOnlyAndOlderConfigsHaveNone()
    {
        TorchRuntime.Initialize();
        torch.manual_seed(2);
        using var scope = NewDisposeScope();
        var config = ResidualVaeConfig.ForBlockSize(4, latentChannels: 4, baseChannels: 8);
        Assert.True(config.LinearShortcut);
        var vae = new ResidualVae(config);
        Assert.Contains("encoder.shortcut.proj.weight", vae.state_dict().Keys);
        Assert.Contains("decoder.shortcut.proj.weight", vae.state_dict().Keys);
        var x = randn(1, 3, 8, 8);
        using var with = vae.Encode(x);
        var plain = new ResidualVae(config with { LinearShortcut = false });
        plain.load_state_dict(vae.state_dict(), strict: false);
        using var without = plain.Encode(x);
        Assert.True(with.LogVariance.allclose(without.LogVariance));
        Assert.False(with.Mean.allclose(without.Mean));
        // The decoding side starts at zero, so a fresh autoencoder decodes as if it had none.
        var z = randn(1, 4, 2, 2);
        Assert.True(vae.Decode(z).allclose(plain.Decode(z)));

        // A config.json written before the shortcut existed loads without it.
        var node = System.Text.Json.Nodes.JsonNode.Parse(JsonSerializer.Serialize(config, JsonFile.Options))!.AsObject();
        Assert.True(node.Remove("linear_shortcut"));
        var json = node.ToJsonString();
        Assert.False(JsonSerializer.Deserialize<ResidualVaeConfig>(json, JsonFile.Options)!.LinearShortcut);
    }
}
