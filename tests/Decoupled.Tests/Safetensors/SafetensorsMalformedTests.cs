using Decoupled.IO.Safetensors;
using Decoupled.Runtime;
using Decoupled.Tests.Video;

namespace Decoupled.Tests.Safetensors;

/// <summary>Every way a header can break the format gives a one-line user error naming the file, the tensor and the problem.</summary>
public class SafetensorsMalformedTests
{
    private const string F32Pair = """{"dtype":"F32","shape":[2],"data_offsets":[0,8]}""";

    [Theory]
    [InlineData("""{"a":""", 0, "header is not valid JSON")]
    [InlineData("""[1, 2]""", 0, "header is a JSON array, not an object")]
    [InlineData("""{"a":{"dtype":"F8","shape":[1],"data_offsets":[0,1]}}""", 1, "tensor 'a': unknown dtype 'F8'")]
    [InlineData("""{"a":{"dtype":"f32","shape":[1],"data_offsets":[0,4]}}""", 4, "tensor 'a': unknown dtype 'f32'")]
    [InlineData("""{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", 8, "tensor 'a': shape [3] of F32 needs 12 bytes but data_offsets [0, 8] hold 8")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", 4, "tensor 'a': data_offsets [0, 8] are out of range (the data buffer has 4 bytes)")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}""", 8, "tensor 'a': data_offsets [8, 0] are out of range")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[-8,0]}}""", 8, "tensor 'a': data_offsets [-8, 0] are out of range")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8,9]}}""", 8, "tensor 'a': data_offsets must be [begin, end]")]
    [InlineData("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 12, "tensors 'a' and 'b' overlap")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""", 12, "tensor 'b': data buffer has a hole between 'a' and it (bytes 4..8")]
    [InlineData("""{"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8, "tensor 'b': data buffer has a hole before it")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 8, "data buffer has 4 bytes after the last tensor")]
    [InlineData("""{"a":""" + F32Pair + ""","a":""" + F32Pair + "}", 8, "duplicate tensor name 'a'")]
    [InlineData("""{"a":{"dtype":"F32","shape":[-1,2],"data_offsets":[0,0]}}""", 0, "tensor 'a': negative dimension -1 in shape [-1, 2]")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}""", 4, "tensor 'a': shape must hold integers, found 1.5")]
    [InlineData("""{"a":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,4]}}""", 4, "tensor 'a': shape [4611686018427387904, 4] is too large")]
    [InlineData("""{"a":{"dtype":"F32","data_offsets":[0,4]}}""", 4, "tensor 'a': missing or non-list shape")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"extra":1}}""", 4, "tensor 'a': unexpected key 'extra'")]
    [InlineData("""{"a":[1]}""", 0, "tensor 'a': entry is a JSON array")]
    [InlineData("""{"__metadata__":{"k":1}}""", 0, "__metadata__ must map strings to strings, but 'k' holds a JSON number")]
    [InlineData("""{"__metadata__":"text"}""", 0, "__metadata__ must map strings to strings, but is a JSON string")]
    [InlineData("""{"__metadata__":{},"__metadata__":{}}""", 0, "duplicate __metadata__")]
    public void MalformedHeaderIsRejected(string json, int dataLength, string problem)
    {
        using var dir = new TempDir();
        var path = HandBuiltFile.Write(dir.Path, json, new byte[dataLength]);
        var error = Assert.Throws<UserInputException>(() => SafetensorsFile.Open(path).Dispose());
        Assert.StartsWith($"{path}: not a valid safetensors file: ", error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void HeaderLongerThanTheFileIsRejected()
    {
        using var dir = new TempDir();
        var path = HandBuiltFile.Write(dir.Path, "{}", [], claimedHeaderLength: 1000);
        var error = Assert.Throws<UserInputException>(() => SafetensorsFile.Open(path));
        Assert.Contains("header length 1000 is larger than the rest of the file (2 bytes)", error.Message);
    }

    [Fact]
    public void AbsurdHeaderLengthIsRejectedBeforeAnyAllocation()
    {
        using var dir = new TempDir();
        var path = HandBuiltFile.Write(dir.Path, "{}", [], claimedHeaderLength: ulong.MaxValue);
        var error = Assert.Throws<UserInputException>(() => SafetensorsFile.Open(path));
        Assert.Contains($"header length {ulong.MaxValue} exceeds the 100 MB limit", error.Message);
    }

    [Fact]
    public void FileShorterThanTheLengthPrefixIsRejected()
    {
        using var dir = new TempDir();
        var path = dir.File("short.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);
        var error = Assert.Throws<UserInputException>(() => SafetensorsFile.Open(path));
        Assert.Contains("short.safetensors: not a valid safetensors file: it has 3 bytes", error.Message);
    }

    [Fact]
    public void HeaderThatIsNotUtf8IsRejected()
    {
        using var dir = new TempDir();
        var path = dir.File("latin1.safetensors");
        byte[] header = [(byte)'{', (byte)'"', 0xE9, (byte)'"', (byte)':', (byte)'1', (byte)'}'];
        File.WriteAllBytes(path, [(byte)header.Length, 0, 0, 0, 0, 0, 0, 0, .. header]);
        var error = Assert.Throws<UserInputException>(() => SafetensorsFile.Open(path));
        Assert.Contains("header is not valid JSON", error.Message);
    }

    [Fact]
    public void BoolTensorWithBytesOtherThanZeroOrOneIsRejectedOnRead()
    {
        TorchRuntime.Initialize();
        using var dir = new TempDir();
        var path = HandBuiltFile.Write(dir.Path, """{"mask":{"dtype":"BOOL","shape":[3],"data_offsets":[0,3]}}""", [0, 1, 2]);
        using var file = SafetensorsFile.Open(path);
        var error = Assert.Throws<UserInputException>(() => file.ReadTensor("mask"));
        Assert.Contains("tensor 'mask' is BOOL but holds bytes other than 0 and 1", error.Message);
    }

    [Fact]
    public void TruncatedAfterOpeningIsAUserErrorOnRead()
    {
        using var dir = new TempDir();
        var path = HandBuiltFile.Write(dir.Path, """{"a":{"dtype":"U8","shape":[4],"data_offsets":[0,4]}}""", [1, 2, 3, 4]);
        using var file = SafetensorsFile.Open(path);
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
            stream.SetLength(stream.Length - 2);
        var error = Assert.Throws<UserInputException>(() => file.ReadBytes("a"));
        Assert.Contains("file ended while reading tensor 'a'", error.Message);
    }
}
