using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace Decoupled.IO.Safetensors;

/// <summary>
/// An open safetensors file. <see cref="Open"/> reads and validates only the header; tensor bytes
/// are read on demand with positional reads, so a large file costs no memory until a tensor is
/// asked for, and reads from several threads do not interfere.
/// </summary>
public sealed class SafetensorsFile : IDisposable
{
    private readonly SafeFileHandle handle;
    private readonly long dataStart;

    private SafetensorsFile(string path, SafeFileHandle handle, SafetensorsHeader header, long dataStart)
    {
        Path = path;
        this.handle = handle;
        Header = header;
        this.dataStart = dataStart;
    }

    /// <summary>The path the file was opened with (used in error messages).</summary>
    public string Path { get; }

    /// <summary>The validated header.</summary>
    public SafetensorsHeader Header { get; }

    /// <summary>Every tensor, in data-buffer order.</summary>
    public IReadOnlyList<SafetensorsTensorInfo> Tensors => Header.Tensors;

    /// <summary>The <c>__metadata__</c> map; empty when the file has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata => Header.Metadata;

    /// <summary>
    /// Opens <paramref name="path"/> and validates its header. A missing, unreadable or malformed
    /// file throws a <see cref="UserInputException"/> naming the file and the problem.
    /// </summary>
    public static SafetensorsFile Open(string path)
    {
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new UserInputException($"{path}: file not found", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserInputException($"{path}: cannot open ({e.Message})", e);
        }
        try
        {
            var (header, dataStart) = ReadHeader(path, handle);
            return new SafetensorsFile(path, handle, header, dataStart);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Whether the file holds a tensor named <paramref name="name"/>.</summary>
    public bool Contains(string name) => Header.Find(name) is not null;

    /// <summary>The entry named <paramref name="name"/>; a missing name is a <see cref="UserInputException"/>.</summary>
    public SafetensorsTensorInfo Get(string name) =>
        Header.Find(name) ?? throw new UserInputException($"{Path}: has no tensor '{name}'");

    /// <summary>A copy of the raw little-endian bytes of tensor <paramref name="name"/>.</summary>
    public byte[] ReadBytes(string name)
    {
        var tensor = Get(name);
        if (tensor.ByteLength > Array.MaxLength)
            throw new UserInputException($"{Path}: tensor '{name}' has {tensor.ByteLength} bytes, too many for one array; read it in chunks");
        var bytes = new byte[tensor.ByteLength];
        ReadChunk(tensor, 0, bytes);
        return bytes;
    }

    /// <summary>
    /// Fills <paramref name="destination"/> with the bytes of <paramref name="tensor"/> starting
    /// <paramref name="offset"/> bytes into it; lets callers stream tensors of any size.
    /// </summary>
    public void ReadChunk(SafetensorsTensorInfo tensor, long offset, Span<byte> destination)
    {
        if (Header.Find(tensor.Name) != tensor)
            throw new ArgumentException($"tensor '{tensor.Name}' is not an entry of {Path}", nameof(tensor));
        if (offset < 0 || offset + destination.Length > tensor.ByteLength)
            throw new ArgumentOutOfRangeException(nameof(offset), $"bytes {offset}..{offset + destination.Length} lie outside tensor '{tensor.Name}' ({tensor.ByteLength} bytes)");
        ReadExactly(dataStart + tensor.Begin + offset, destination, $"tensor '{tensor.Name}'");
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => handle.Dispose();

    private static (SafetensorsHeader Header, long DataStart) ReadHeader(string path, SafeFileHandle handle)
    {
        long length = RandomAccess.GetLength(handle);
        if (length < sizeof(ulong))
            throw new UserInputException($"{path}: not a valid safetensors file: it has {length} bytes, fewer than the 8-byte header length");
        Span<byte> prefix = stackalloc byte[sizeof(ulong)];
        ReadExactly(path, handle, 0, prefix, "header length");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > SafetensorsHeader.MaxHeaderBytes)
            throw new UserInputException($"{path}: not a valid safetensors file: header length {headerLength} exceeds the {SafetensorsHeader.MaxHeaderBytes / 1_000_000} MB limit");
        if ((long)headerLength > length - sizeof(ulong))
            throw new UserInputException($"{path}: not a valid safetensors file: header length {headerLength} is larger than the rest of the file ({length - sizeof(ulong)} bytes)");
        var json = new byte[headerLength];
        ReadExactly(path, handle, sizeof(ulong), json, "header");
        long dataStart = sizeof(ulong) + (long)headerLength;
        return (SafetensorsHeader.Parse(json, length - dataStart, path), dataStart);
    }

    private void ReadExactly(long position, Span<byte> destination, string what) =>
        ReadExactly(Path, handle, position, destination, what);

    private static void ReadExactly(string path, SafeFileHandle handle, long position, Span<byte> destination, string what)
    {
        try
        {
            while (!destination.IsEmpty)
            {
                int read = RandomAccess.Read(handle, destination, position);
                if (read == 0)
                    throw new UserInputException($"{path}: file ended while reading {what} (was it truncated?)");
                destination = destination[read..];
                position += read;
            }
        }
        catch (IOException e)
        {
            throw new UserInputException($"{path}: cannot read {what} ({e.Message})", e);
        }
    }
}
