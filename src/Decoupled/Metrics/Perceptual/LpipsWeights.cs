using Decoupled.IO.Safetensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Metrics.Perceptual;

/// <summary>
/// Reads LPIPS weights from the <c>.safetensors</c> file of an <c>lpips.LPIPS(net='alex'|'vgg')</c>
/// state dict. The trunk is recognised from the tensor names (or given), the channel widths are
/// read from the tensor shapes, and every expected tensor is checked for presence and shape before
/// anything is copied, so a wrong file fails with one <see cref="UserInputException"/> that names
/// the file and the tensors at fault. Files written by <see cref="ModuleWeights.Save(string, nn.Module, IReadOnlyDictionary{string, string}?)"/>
/// from an <see cref="LpipsNetwork"/> have the same layout.
/// </summary>
public static class LpipsWeights
{
    /// <summary>Conversion command the error messages point to (heads once, as <c>lin{k}</c>).</summary>
    public const string ConversionHint =
        "python -c \"import lpips, safetensors.torch as s; s.save_model(lpips.LPIPS(net='alex'), 'lpips_alex.safetensors')\"";

    private const string ScaleShift = "scaling_layer.shift";
    private const string ScaleScale = "scaling_layer.scale";
    private const int NamesShown = 6;

    /// <summary>
    /// The network whose weights <paramref name="path"/> holds, trunk detected from the names unless
    /// <paramref name="backbone"/> is given. The <c>scaling_layer</c> buffers are optional (they are
    /// constants; the package's values are used when absent); both head names of the package's state
    /// dict, <c>lin{k}.model.1.weight</c> and <c>lins.{k}.model.1.weight</c>, are accepted; other extra
    /// tensors are ignored. Any float element type loads (converted to float32).
    /// </summary>
    public static LpipsNetwork Load(string path, LpipsBackbone? backbone = null)
    {
        using var file = SafetensorsFile.Open(path);
        var detected = Detect(file);
        var kind = backbone ?? detected
            ?? throw new UserInputException($"{path}: not an LPIPS weight file: it has neither net.slice2.3.weight (AlexNet trunk) nor net.slice1.2.weight (VGG16 trunk); convert the lpips package's weights with {ConversionHint}");
        if (backbone is not null && detected is not null && detected != backbone)
            throw new UserInputException($"{path}: holds LPIPS {Describe(detected.Value)} weights, not {Describe(kind)}");

        var widths = ReadWidths(file, kind);
        var network = new LpipsNetwork(kind, widths);
        try
        {
            Copy(file, network);
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>The trunk whose tensor names <paramref name="file"/> holds, or null when it holds neither.</summary>
    public static LpipsBackbone? Detect(SafetensorsFile file)
    {
        // The second convolution's torchvision index tells the trunks apart: AlexNet's is 3 (in slice2), VGG16's is 2 (in slice1).
        bool alex = file.Contains("net.slice2.3.weight"), vgg = file.Contains("net.slice1.2.weight");
        return alex == vgg ? null : alex ? LpipsBackbone.Alex : LpipsBackbone.Vgg16;
    }

    /// <summary>
    /// The five slice widths, after checking every tensor the network needs: present, a float type,
    /// and shaped to chain (each convolution's input width is the previous one's output width).
    /// </summary>
    private static long[] ReadWidths(SafetensorsFile file, LpipsBackbone backbone)
    {
        var slices = LpipsLayout.Slices(backbone);
        var missing = new List<string>();
        var wrong = new List<string>();
        var widths = new long[slices.Count];
        long channels = LpipsLayout.InputChannels;
        for (int k = 0; k < slices.Count; k++)
        {
            var convs = slices[k].Where(s => !s.IsPool).ToList();
            // The slice's width is whatever its first convolution outputs: files may be narrower than the published nets.
            var first = file.Header.Find(LpipsLayout.ConvName(k, convs[0], "weight"));
            long width = first is { Shape.Count: 4 } && first.Shape[0] > 0 ? first.Shape[0] : LpipsLayout.DefaultWidths(backbone)[k];
            foreach (var conv in convs)
            {
                Expect(file, LpipsLayout.ConvName(k, conv, "weight"), [width, channels, conv.Kernel, conv.Kernel], missing, wrong);
                Expect(file, LpipsLayout.ConvName(k, conv, "bias"), [width], missing, wrong);
                channels = width;
            }
            string head = file.Contains(LpipsLayout.HeadName(k)) || !file.Contains(LpipsLayout.HeadAlias(k)) ? LpipsLayout.HeadName(k) : LpipsLayout.HeadAlias(k);
            Expect(file, head, [1, width, 1, 1], missing, wrong);
            widths[k] = width;
        }
        foreach (var name in new[] { ScaleShift, ScaleScale })
            if (file.Contains(name)) Expect(file, name, [1, LpipsLayout.InputChannels, 1, 1], missing, wrong);

        var problems = new List<string>();
        if (missing.Count > 0) problems.Add($"missing {Names(missing)}");
        if (wrong.Count > 0) problems.Add(Names(wrong));
        if (problems.Count > 0)
            throw new UserInputException($"{file.Path}: not a valid LPIPS {Describe(backbone)} weight file: {string.Join("; ", problems)}");
        return widths;
    }

    private static void Expect(SafetensorsFile file, string name, long[] shape, List<string> missing, List<string> wrong)
    {
        var info = file.Header.Find(name);
        if (info is null)
            missing.Add(name);
        else if (!info.Shape.SequenceEqual(shape))
            wrong.Add($"{name} has shape [{string.Join(", ", info.Shape)}], expected [{string.Join(", ", shape)}]");
        else if (info.DType is not (SafetensorsDType.F16 or SafetensorsDType.BF16 or SafetensorsDType.F32 or SafetensorsDType.F64))
            wrong.Add($"{name} holds {info.DType}, expected a float type");
    }

    /// <summary>Copies every tensor of the (validated) file into <paramref name="network"/>'s state dict.</summary>
    private static void Copy(SafetensorsFile file, LpipsNetwork network)
    {
        using var noGrad = torch.no_grad();
        foreach (var (name, target) in network.state_dict())
        {
            string source = Source(file, name);
            if (!file.Contains(source)) continue; // only the optional scaling buffers can be absent here
            using var scope = torch.NewDisposeScope();
            target.copy_(file.ReadTensor(source));
        }
    }

    // A head stored only under the ModuleList name lins.{k} loads from there.
    private static string Source(SafetensorsFile file, string name)
    {
        if (file.Contains(name) || !name.StartsWith("lin", StringComparison.Ordinal)) return name;
        for (int k = 0; k < LpipsLayout.SliceCount; k++)
            if (name == LpipsLayout.HeadName(k)) return LpipsLayout.HeadAlias(k);
        return name;
    }

    private static string Describe(LpipsBackbone backbone) => backbone == LpipsBackbone.Alex ? "AlexNet (net='alex')" : "VGG16 (net='vgg')";

    private static string Names(IReadOnlyList<string> names) =>
        names.Count <= NamesShown
            ? string.Join(", ", names)
            : $"{string.Join(", ", names.Take(NamesShown))} and {names.Count - NamesShown} more";
}
