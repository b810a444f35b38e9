using System.Buffers.Binary;
using System.Text;

namespace Decoupled.Tests.Safetensors;

/// <summary>Builds safetensors bytes by hand, independent of the writer under test.</summary>
internal static class HandBuiltFile
{
    /// <summary>8-byte little-endian length of <paramref name="json"/>, the UTF-8 JSON, then <paramref name="data"/>.</summary>
    public static byte[] Bytes(string json, byte[] data, ulong? claimedHeaderLength = null)
    {
        var header = Encoding.UTF8.GetBytes(json);
        var bytes = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, claimedHeaderLength ?? (ulong)header.Length);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Length);
        return bytes;
    }

    public static string Write(string folder, string json, byte[] data, ulong? claimedHeaderLength = null)
    {
        var path = Path.Combine(folder, "hand.safetensors");
        File.WriteAllBytes(path, Bytes(json, data, claimedHeaderLength));
        return path;
    }
}
