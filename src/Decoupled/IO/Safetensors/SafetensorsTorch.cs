using static TorchSharp.torch;

namespace Decoupled.IO.Safetensors;

/// <summary>Safetensors files to and from TorchSharp tensors, keeping each tensor's element type (bf16 and f16 included).</summary>
public static class SafetensorsTorch
{
    /// <summary>
    /// An entry for <paramref name="tensor"/>; its bytes are taken (moved to the CPU, made
    /// contiguous) only when the file is written, so keep the tensor alive until then.
    /// </summary>
    public static SafetensorsEntry ToEntry(string name, Tensor tensor) =>
        new(name, SafetensorsDTypes.FromScalarType(tensor.dtype), tensor.shape, stream => TensorBytes.Write(tensor, stream));

    /// <summary>Writes <paramref name="tensors"/> to <paramref name="path"/> atomically.</summary>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null) =>
        SafetensorsWriter.Write(path, tensors.Select(p => ToEntry(p.Key, p.Value)), metadata);

    /// <summary>Every tensor of <paramref name="path"/>, as new CPU tensors the caller owns.</summary>
    public static Dictionary<string, Tensor> Load(string path)
    {
        using var file = SafetensorsFile.Open(path);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var info in file.Tensors)
                tensors.Add(info.Name, TensorBytes.Read(file, info));
            return tensors;
        }
        catch
        {
            foreach (var tensor in tensors.Values)
                tensor.Dispose();
            throw;
        }
    }

    /// <summary>Tensor <paramref name="name"/> of <paramref name="file"/> as a new CPU tensor of the stored type and shape.</summary>
    public static Tensor ReadTensor(this SafetensorsFile file, string name) => TensorBytes.Read(file, file.Get(name));

    /// <summary>The tensor described by <paramref name="info"/> (an entry of <paramref name="file"/>) as a new CPU tensor.</summary>
    public static Tensor ReadTensor(this SafetensorsFile file, SafetensorsTensorInfo info) => TensorBytes.Read(file, info);
}
