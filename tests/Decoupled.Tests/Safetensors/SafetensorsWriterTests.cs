using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Decoupled.IO.Safetensors;
using Decoupled.Runtime;
using Decoupled.Tests.Video;
using TorchSharp;
using static TorchSharp.torch;

namespace Decoupled.Tests.Safetensors;

public class SafetensorsWriterTests
{
    [Fact]
    public void LayoutFollowsTheSpec()
    {
        using var dir = new TempDir();
        var path = dir.File("layout.safetensors");
        SafetensorsEntry[] entries =
        [
            SafetensorsEntry.FromBytes("b", SafetensorsDType.F32, [2], Filled(8, 0xB0)),
            SafetensorsEntry.FromBytes("c", SafetensorsDType.U8, [3], Filled(3, 0xC0)),
            SafetensorsEntry.FromBytes("a", SafetensorsDType.F32, [1], Filled(4, 0xA0)),
            SafetensorsEntry.FromBytes("e", SafetensorsDType.BF16, [1, 1], Filled(2, 0xE0)),
            SafetensorsEntry.FromBytes("d", SafetensorsDType.F64, [], Filled(8, 0xD0)),
        ];
        SafetensorsWriter.Write(path, entries, new Dictionary<string, string> { ["z"] = "last", ["format"] = "pt" });

        var bytes = File.ReadAllBytes(path);
        long headerLength = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, headerLength % 8);
        var headerText = Encoding.UTF8.GetString(bytes, 8, (int)headerLength);
        var trimmed = headerText.TrimEnd(' ');
        Assert.EndsWith("}", trimmed);
        Assert.True(headerText.Length - trimmed.Length < 8, "padding is less than 8 spaces");

        // Largest element size first, then ordinal name: every tensor starts aligned to its element size.
        using var header = JsonDocument.Parse(trimmed);
        var keys = header.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal(["__metadata__", "d", "a", "b", "e", "c"], keys);
        Assert.Equal(["format", "z"], header.RootElement.GetProperty("__metadata__").EnumerateObject().Select(p => p.Name));
        long cursor = 0;
        foreach (var name in keys.Skip(1))
        {
            var offsets = header.RootElement.GetProperty(name).GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            Assert.Equal(cursor, offsets[0]);
            cursor = offsets[1];
        }
        Assert.Equal(8 + headerLength + cursor, bytes.Length);

        long dataStart = 8 + headerLength;
        Assert.Equal(Filled(8, 0xD0), bytes[(int)dataStart..(int)(dataStart + 8)]);
        Assert.Equal(Filled(3, 0xC0), bytes[^3..]);

        using var file = SafetensorsFile.Open(path);
        Assert.Equal(Filled(4, 0xA0), file.ReadBytes("a"));
        Assert.Equal([1L, 1L], file.Get("e").Shape);
    }

    [Fact]
    public void OutputIsDeterministicWhateverTheInputOrder()
    {
        using var dir = new TempDir();
        var entries = new[] { ("x", 1), ("y", 2), ("a", 3) }
            .Select(p => SafetensorsEntry.FromBytes(p.Item1, SafetensorsDType.I16, [1], Filled(2, (byte)p.Item2))).ToArray();
        SafetensorsWriter.Write(dir.File("one.safetensors"), entries);
        SafetensorsWriter.Write(dir.File("two.safetensors"), entries.Reverse());
        Assert.Equal(File.ReadAllBytes(dir.File("one.safetensors")), File.ReadAllBytes(dir.File("two.safetensors")));
    }

    [Fact]
    public void WriterRefusesWrongByteCountsAndDuplicateNames()
    {
        using var dir = new TempDir();
        Assert.Throws<ArgumentException>(() => SafetensorsEntry.FromBytes("a", SafetensorsDType.F32, [2], new byte[4]));
        var twice = new[] { SafetensorsEntry.FromBytes("a", SafetensorsDType.U8, [1], new byte[1]), SafetensorsEntry.FromBytes("a", SafetensorsDType.U8, [1], new byte[1]) };
        Assert.Throws<ArgumentException>(() => SafetensorsWriter.Write(dir.File("dup.safetensors"), twice));

        // A streaming entry that writes fewer bytes than its header promises must not leave a file behind.
        var liar = new SafetensorsEntry("short", SafetensorsDType.F32, [4], stream => stream.Write(new byte[8]));
        Assert.Throws<InvalidOperationException>(() => SafetensorsWriter.Write(dir.File("liar.safetensors"), [liar]));
        Assert.Empty(dir.Entries());
    }

    [Fact]
    public void EveryDTypeRoundTripsExactly()
    {
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        torch.manual_seed(3);
        var tensors = new Dictionary<string, Tensor>
        {
            ["f32"] = torch.randn(3, 4),
            ["f64"] = torch.randn(2, 2, dtype: ScalarType.Float64),
            ["f16"] = torch.randn(5, dtype: ScalarType.Float16),
            ["bf16"] = torch.randn(2, 3, dtype: ScalarType.BFloat16),
            ["i64"] = torch.tensor(new long[] { long.MinValue, -1, 0, long.MaxValue }),
            ["i32"] = torch.randint(-1000, 1000, [7], dtype: ScalarType.Int32),
            ["i16"] = torch.randint(-1000, 1000, [2, 2], dtype: ScalarType.Int16),
            ["i8"] = torch.randint(-128, 127, [6], dtype: ScalarType.Int8),
            ["u8"] = torch.randint(0, 255, [6], dtype: ScalarType.Byte),
            ["bool"] = torch.randint(0, 2, [9]).to(ScalarType.Bool),
            ["scalar"] = torch.tensor(2.5f),
            ["empty"] = torch.zeros(0, 3),
            ["transposed"] = torch.arange(12, dtype: ScalarType.Float32).reshape(3, 4).t(),
        };
        using var dir = new TempDir();
        var path = dir.File("all.safetensors");
        SafetensorsTorch.Save(path, tensors, new Dictionary<string, string> { ["note"] = "ü → ok" });

        var loaded = SafetensorsTorch.Load(path);
        Assert.Equal(tensors.Keys.Order(), loaded.Keys.Order());
        foreach (var (name, expected) in tensors)
        {
            var actual = loaded[name];
            Assert.Equal(expected.dtype, actual.dtype);
            Assert.Equal(expected.shape, actual.shape);
            Assert.True(expected.eq(actual).all().item<bool>(), $"{name} differs after the round trip");
        }
        using var file = SafetensorsFile.Open(path);
        Assert.Equal("ü → ok", file.Metadata["note"]);
        Assert.Equal(SafetensorsDType.BF16, file.Get("bf16").DType);
    }

    [Fact]
    public void LargeTensorsStreamInChunks()
    {
        // 68 MB of f32: more than one 64 MiB chunk, so reader and writer cross a chunk boundary.
        TorchRuntime.Initialize();
        using var scope = NewDisposeScope();
        var big = torch.randn(17_000_000);
        using var dir = new TempDir();
        var path = dir.File("big.safetensors");
        SafetensorsTorch.Save(path, new Dictionary<string, Tensor> { ["big"] = big });
        using var file = SafetensorsFile.Open(path);
        var back = file.ReadTensor("big");
        Assert.True(big.eq(back).all().item<bool>());
    }

    private static byte[] Filled(int count, byte start) => Enumerable.Range(0, count).Select(i => (byte)(start + i)).ToArray();
}
