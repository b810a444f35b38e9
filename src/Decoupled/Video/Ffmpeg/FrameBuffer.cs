namespace Decoupled.Video.Ffmpeg;

/// <summary>
/// Collects whole frames from a byte stream into one growing array, so a clip ends up in a
/// single allocation of the right size when the frame count was known up front.
/// </summary>
internal sealed class FrameBuffer(int frameBytes, int initialFrames, int maxFrames)
{
    /// <summary>Thrown when one more frame would not fit in a single array.</summary>
    public sealed class FullException : Exception;

    byte[] _data = new byte[(long)frameBytes * initialFrames];

    /// <summary>Whole frames read so far (a trailing partial frame is dropped).</summary>
    public int Frames { get; private set; }

    /// <summary>Reads one whole frame; false at the end of the stream.</summary>
    public bool ReadFrame(Stream stream)
    {
        if (Frames == maxFrames)
        {
            // One probe byte tells whether the stream really has more.
            Span<byte> probe = stackalloc byte[1];
            if (stream.Read(probe) == 0) return false;
            throw new FullException();
        }
        long offset = (long)Frames * frameBytes;
        if (offset + frameBytes > _data.LongLength)
            Array.Resize(ref _data, (int)Math.Min((long)Array.MaxLength / frameBytes * frameBytes, Math.Max(_data.LongLength * 2, offset + frameBytes)));
        int read = stream.ReadAtLeast(_data.AsSpan((int)offset, frameBytes), frameBytes, throwOnEndOfStream: false);
        if (read < frameBytes) return false;
        Frames++;
        return true;
    }

    /// <summary>The frames read, trimmed to size.</summary>
    public byte[] ToArray()
    {
        long length = (long)Frames * frameBytes;
        if (length == _data.LongLength) return _data;
        return _data.AsSpan(0, (int)length).ToArray();
    }
}
