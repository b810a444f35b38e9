using Decoupled.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Metrics.Features;

/// <summary>
/// A TorchScript archive (<c>torch.jit.save</c> output, such as StyleGAN-V's <c>i3d_torchscript.pt</c>
/// or StyleGAN2-ADA's <c>inception-2015-12-05.pt</c>) loaded with libtorch's own loader, in eval mode on
/// the CPU. A pickled PyTorch checkpoint is never unpickled here: a TorchScript archive holds code that
/// libtorch compiles, not Python objects. Every failure is one line that names the file.
/// </summary>
public sealed class TorchScriptNetwork : IDisposable
{
    private readonly jit.ScriptModule module;

    private TorchScriptNetwork(string path, jit.ScriptModule module)
    {
        Path = path;
        this.module = module;
    }

    /// <summary>The file it was loaded from.</summary>
    public string Path { get; }

    /// <summary>Loads <paramref name="path"/>; <paramref name="what"/> names the network in error messages (e.g. "I3D network (--i3d)").</summary>
    /// <exception cref="UserInputException">The file is missing or libtorch cannot read it as TorchScript.</exception>
    public static TorchScriptNetwork Load(string path, string what)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path)) throw new UserInputException($"{path}: is a folder, expected the {what} TorchScript file");
        if (!File.Exists(path)) throw new UserInputException($"{path}: no such file (the {what} TorchScript file)");
        TorchRuntime.Initialize();
        jit.ScriptModule module;
        try
        {
            module = jit.load(path);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // libtorch's message carries a C++ stack trace after the first line; the first line says what is wrong.
            throw new UserInputException($"{path}: not a TorchScript archive that libtorch can load ({FirstLine(e.Message)}); expected the {what}");
        }
        module.eval();
        return new TorchScriptNetwork(path, module);
    }

    /// <summary>
    /// Calls <c>forward</c> with <paramref name="input"/> followed by positional <paramref name="flags"/>
    /// (TorchSharp passes no keyword arguments, so the flags follow the network's declared order) and
    /// returns its tensor, checked to be <c>[rows, d]</c>.
    /// </summary>
    public Tensor Forward2d(Tensor input, long rows, params bool[] flags)
    {
        object result;
        try
        {
            using var noGrad = no_grad();
            result = module.call([input, .. flags.Cast<object>()]);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new UserInputException($"{Path}: the network failed on a [{string.Join(", ", input.shape)}] {input.dtype} input ({FirstLine(e.Message)})");
        }
        if (result is not Tensor output)
            throw new UserInputException($"{Path}: forward returned {result?.GetType().Name ?? "nothing"}, expected a tensor");
        if (output.dim() != 2 || output.shape[0] != rows)
        {
            var shape = string.Join(", ", output.shape);
            output.Dispose();
            throw new UserInputException($"{Path}: forward returned shape [{shape}], expected [{rows}, d]");
        }
        return output;
    }

    /// <inheritdoc />
    public void Dispose() => module.Dispose();

    private static string FirstLine(string message) =>
        message.Split('\n', 2)[0].Trim() is { Length: > 0 } line ? line : "unknown error";
}
