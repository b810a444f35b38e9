using static TorchSharp.torch;

namespace Decoupled.IO.Safetensors;

/// <summary>Element types a safetensors file may hold; the names are the header's <c>dtype</c> strings.</summary>
public enum SafetensorsDType
{
    /// <summary>Boolean, one byte (0 or 1).</summary>
    BOOL,
    /// <summary>Unsigned 8-bit integer.</summary>
    U8,
    /// <summary>Signed 8-bit integer.</summary>
    I8,
    /// <summary>Signed 16-bit integer.</summary>
    I16,
    /// <summary>IEEE half precision.</summary>
    F16,
    /// <summary>bfloat16 (the upper half of an IEEE float).</summary>
    BF16,
    /// <summary>Signed 32-bit integer.</summary>
    I32,
    /// <summary>IEEE single precision.</summary>
    F32,
    /// <summary>Signed 64-bit integer.</summary>
    I64,
    /// <summary>IEEE double precision.</summary>
    F64,
}

/// <summary>Sizes, header names and TorchSharp equivalents of <see cref="SafetensorsDType"/>.</summary>
public static class SafetensorsDTypes
{
    /// <summary>Bytes per element.</summary>
    public static int ElementSize(this SafetensorsDType dtype) => dtype switch
    {
        SafetensorsDType.BOOL or SafetensorsDType.U8 or SafetensorsDType.I8 => 1,
        SafetensorsDType.I16 or SafetensorsDType.F16 or SafetensorsDType.BF16 => 2,
        SafetensorsDType.I32 or SafetensorsDType.F32 => 4,
        SafetensorsDType.I64 or SafetensorsDType.F64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    /// <summary>The header string of <paramref name="dtype"/>, e.g. <c>"BF16"</c>.</summary>
    public static string HeaderName(this SafetensorsDType dtype) => dtype.ToString();

    /// <summary>Parses a header <c>dtype</c> string (exact, case-sensitive, as the format defines it).</summary>
    public static bool TryParse(string text, out SafetensorsDType dtype)
    {
        // Enum.TryParse would also accept numbers and other casings; the format allows only the exact names.
        foreach (var candidate in Enum.GetValues<SafetensorsDType>())
        {
            if (candidate.HeaderName() == text)
            {
                dtype = candidate;
                return true;
            }
        }
        dtype = default;
        return false;
    }

    /// <summary>The TorchSharp element type of <paramref name="dtype"/>.</summary>
    public static ScalarType ToScalarType(this SafetensorsDType dtype) => dtype switch
    {
        SafetensorsDType.BOOL => ScalarType.Bool,
        SafetensorsDType.U8 => ScalarType.Byte,
        SafetensorsDType.I8 => ScalarType.Int8,
        SafetensorsDType.I16 => ScalarType.Int16,
        SafetensorsDType.F16 => ScalarType.Float16,
        SafetensorsDType.BF16 => ScalarType.BFloat16,
        SafetensorsDType.I32 => ScalarType.Int32,
        SafetensorsDType.F32 => ScalarType.Float32,
        SafetensorsDType.I64 => ScalarType.Int64,
        SafetensorsDType.F64 => ScalarType.Float64,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, null),
    };

    /// <summary>The safetensors type of a TorchSharp element type; throws for types the format has no name for here.</summary>
    public static SafetensorsDType FromScalarType(ScalarType type) => type switch
    {
        ScalarType.Bool => SafetensorsDType.BOOL,
        ScalarType.Byte => SafetensorsDType.U8,
        ScalarType.Int8 => SafetensorsDType.I8,
        ScalarType.Int16 => SafetensorsDType.I16,
        ScalarType.Float16 => SafetensorsDType.F16,
        ScalarType.BFloat16 => SafetensorsDType.BF16,
        ScalarType.Int32 => SafetensorsDType.I32,
        ScalarType.Float32 => SafetensorsDType.F32,
        ScalarType.Int64 => SafetensorsDType.I64,
        ScalarType.Float64 => SafetensorsDType.F64,
        _ => throw new NotSupportedException($"safetensors: element type {type} is not supported"),
    };
}
