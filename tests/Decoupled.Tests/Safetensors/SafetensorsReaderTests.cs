using System.Buffers.Binary;
using Decoupled.IO.Safetensors;
using Decoupled.Runtime;
using Decoupled.Tests.Video;
using static TorchSharp.torch;

namespace Decoupled.Tests.Safetensors;

public class SafetensorsReaderTests
{
    /// <summary>
    /// A file laid out the way the Python library would: F32, I64, F16, BF16 and a scalar, with
    /// metadata. Every byte is written here by hand, so the reader is checked against the spec,
    /// not against our own writer.
    /// </summary>
    [Fact]
    public void ReadsAHandBuiltFile()
    {
        TorchRuntime.Initialize();
        // Single quotes keep the JSON readable here; they become double quotes below.
        var json = (
            "{'__metadata__':{'format':'pt'},'w':{'dtype':'F32','shape':[2,2],'data_offsets':[0,16]},"
            + "'ids':{'dtype':'I64','shape':[2],'data_offsets':[16,32]},'h':{'dtype':'F16','shape':[3],'data_offsets':[32,38]},"
            + "'b':{'dtype':'BF16','shape':[1,2],'data_offsets':[38,42]},'s':{'dtype':'F32','shape':[],'data_offsets':[42,46]}}")
            .Replace('\'', '"');
        var data = new byte[46];
        float[] w = [1.5f, -2.25f, 0f, 1e-3f];
        for (int i = 0; i < 4; i++) BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(4 * i), w[i]);
        BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(16), -7);
        BinaryPrimitives.WriteInt64LittleEndian(data.AsSpan(24), 1L << 40);
        // IEEE half: 0.5 = 0x3800, -3 = 0xC200, 65504 (largest half) = 0x7BFF.
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(32), 0x3800);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(34), 0xC200);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(36), 0x7BFF);
        // bfloat16 is the top half of a float: 1.0 = 0x3F80, -2.5 = 0xC020.
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(38), 0x3F80);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(40), 0xC020);
        BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(42), 42f);

        using var dir = new TempDir();
        using var file = SafetensorsFile.Open(HandBuiltFile.Write(dir.Path, json, data));

        Assert.Equal(["w", "ids", "h", "b", "s"], file.Tensors.Select(t => t.Name));
        Assert.Equal("pt", file.Metadata["format"]);
        Assert.Equal(SafetensorsDType.BF16, file.Get("b").DType);
        Assert.Equal([1L, 2L], file.Get("b").Shape);
        Assert.Empty(file.Get("s").Shape);
        Assert.Equal(data[32..38], file.ReadBytes("h"));

        using var scope = NewDisposeScope();
        var wt = file.ReadTensor("w");
        Assert.Equal(ScalarType.Float32, wt.dtype);
        Assert.Equal([2L, 2L], wt.shape);
        Assert.Equal(w, wt.data<float>().ToArray());
        var ids = file.ReadTensor("ids");
        Assert.Equal(ScalarType.Int64, ids.dtype);
        Assert.Equal([-7L, 1L << 40], ids.data<long>().ToArray());
        var h = file.ReadTensor("h");
        Assert.Equal(ScalarType.Float16, h.dtype);
        Assert.Equal([0.5f, -3f, 65504f], h.to(ScalarType.Float32).data<float>().ToArray());
        var b = file.ReadTensor("b");
        Assert.Equal(ScalarType.BFloat16, b.dtype);
        Assert.Equal([1f, -2.5f], b.to(ScalarType.Float32).data<float>().ToArray());
        var s = file.ReadTensor("s");
        Assert.Equal(0, s.dim());
        Assert.Equal(42f, s.item<float>());
    }

    [Fact]
    public void ZeroSizedTensorsAndAnEmptyFileAreValid()
    {
        TorchRuntime.Initialize();
        using var dir = new TempDir();
        var path = HandBuiltFile.Write(dir.Path,
            """{"e":{"dtype":"F32","shape":[0,3],"data_offsets":[0,0]},"x":{"dtype":"U8","shape":[2],"data_offsets":[0,2]}}""", [7, 9]);
        using (var file = SafetensorsFile.Open(path))
        {
            using var e = file.ReadTensor("e");
            Assert.Equal([0L, 3L], e.shape);
            Assert.Equal([7, 9], file.ReadBytes("x"));
        }
        using var empty = SafetensorsFile.Open(HandBuiltFile.Write(dir.Path, "{}", []));
        Assert.Empty(empty.Tensors);
        Assert.Empty(empty.Metadata);
    }

    [Fact]
    public void AskingForAnAbsentTensorNamesFileAndTensor()
    {
        using var dir = new TempDir();
        var path = HandBuiltFile.Write(dir.Path, "{}", []);
        using var file = SafetensorsFile.Open(path);
        var error = Assert.Throws<UserInputException>(() => file.Get("nope"));
        Assert.Contains(path, error.Message);
        Assert.Contains("'nope'", error.Message);
    }

    [Fact]
    public void MissingFileIsAUserError()
    {
        using var dir = new TempDir();
        var error = Assert.Throws<UserInputException>(() => SafetensorsFile.Open(dir.File("absent.safetensors")));
        Assert.Contains("absent.safetensors: file not found", error.Message);
    }
}
