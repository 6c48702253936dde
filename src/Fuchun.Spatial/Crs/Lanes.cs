using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Fuchun.Spatial.Crs;

/// <summary>
/// Doubles in lanes, lane by lane: the arithmetic the Gauss–Krüger series needs, written once for four vertices
/// (<see cref="Lanes4"/>, one AVX2 register) and for eight (<see cref="Lanes8"/>, two registers worked in turn).
/// </summary>
/// <remarks>
/// Why eight: the inverse is a long chain of dependent operations per vertex, and the processor waited on it with
/// four vertices in flight; two independent groups of four, interleaved instruction by instruction, fill those waits.
/// Every lane gets exactly the operations it got with four, so every vertex the same bits.
/// </remarks>
internal interface ILanes<T>
    where T : struct, ILanes<T>
{
    static abstract T Create(double value);

    static abstract T operator +(T a, T b);

    static abstract T operator -(T a, T b);

    static abstract T operator -(T a);

    static abstract T operator *(T a, T b);

    static abstract T operator *(T a, double b);

    static abstract T operator *(double a, T b);

    static abstract T operator /(T a, T b);

    /// <summary>Bitwise and, for the masks the comparisons return.</summary>
    static abstract T operator &(T a, T b);

    static abstract T Sqrt(T a);

    static abstract T Abs(T a);

    /// <summary>All ones where a &lt; b, zero elsewhere.</summary>
    static abstract T LessThan(T a, T b);

    /// <summary>All ones where a &gt; b, zero elsewhere.</summary>
    static abstract T GreaterThan(T a, T b);

    /// <summary>Whether every lane of a mask is set.</summary>
    static abstract bool All(T mask);

    /// <summary>Each lane rounded to the nearest integer, ties to even.</summary>
    static abstract T Round(T a);
}

/// <summary>Four lanes: one <see cref="Vector256{T}"/>.</summary>
internal readonly record struct Lanes4(Vector256<double> V) : ILanes<Lanes4>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 Create(double value) => new(Vector256.Create(value));

    /// <summary>
    /// One axis (0 x, 1 y) of four vertices from <paramref name="i"/> of interleaved x, y; past the last of
    /// <paramref name="count"/>, the last again.
    /// </summary>
    public static Vector256<double> Gather(ReadOnlySpan<double> xy, int i, int count, int axis) => Vector256.Create(
        xy[(2 * i) + axis],
        xy[(2 * Math.Min(i + 1, count - 1)) + axis],
        xy[(2 * Math.Min(i + 2, count - 1)) + axis],
        xy[(2 * Math.Min(i + 3, count - 1)) + axis]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 operator +(Lanes4 a, Lanes4 b) => new(a.V + b.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 operator -(Lanes4 a, Lanes4 b) => new(a.V - b.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 operator -(Lanes4 a) => new(-a.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 operator *(Lanes4 a, Lanes4 b) => new(a.V * b.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 operator *(Lanes4 a, double b) => new(a.V * b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 operator *(double a, Lanes4 b) => new(a * b.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 operator /(Lanes4 a, Lanes4 b) => new(a.V / b.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 operator &(Lanes4 a, Lanes4 b) => new(a.V & b.V);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 Sqrt(Lanes4 a) => new(Vector256.Sqrt(a.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 Abs(Lanes4 a) => new(Vector256.Abs(a.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 LessThan(Lanes4 a, Lanes4 b) => new(Vector256.LessThan(a.V, b.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 GreaterThan(Lanes4 a, Lanes4 b) => new(Vector256.GreaterThan(a.V, b.V));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool All(Lanes4 mask) => Vector256.ExtractMostSignificantBits(mask.V) == 0b1111;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes4 Round(Lanes4 a) => new(Vector256.Round(a.V));
}

/// <summary>Eight lanes: two <see cref="Vector256{T}"/>, lanes 0–3 and 4–7, each operation done on both in turn.</summary>
internal readonly record struct Lanes8(Vector256<double> Low, Vector256<double> High) : ILanes<Lanes8>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 Create(double value) => new(Vector256.Create(value), Vector256.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 operator +(Lanes8 a, Lanes8 b) => new(a.Low + b.Low, a.High + b.High);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 operator -(Lanes8 a, Lanes8 b) => new(a.Low - b.Low, a.High - b.High);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 operator -(Lanes8 a) => new(-a.Low, -a.High);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 operator *(Lanes8 a, Lanes8 b) => new(a.Low * b.Low, a.High * b.High);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 operator *(Lanes8 a, double b) => new(a.Low * b, a.High * b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 operator *(double a, Lanes8 b) => new(a * b.Low, a * b.High);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 operator /(Lanes8 a, Lanes8 b) => new(a.Low / b.Low, a.High / b.High);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 operator &(Lanes8 a, Lanes8 b) => new(a.Low & b.Low, a.High & b.High);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 Sqrt(Lanes8 a) => new(Vector256.Sqrt(a.Low), Vector256.Sqrt(a.High));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 Abs(Lanes8 a) => new(Vector256.Abs(a.Low), Vector256.Abs(a.High));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 LessThan(Lanes8 a, Lanes8 b) => new(Vector256.LessThan(a.Low, b.Low), Vector256.LessThan(a.High, b.High));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 GreaterThan(Lanes8 a, Lanes8 b) => new(Vector256.GreaterThan(a.Low, b.Low), Vector256.GreaterThan(a.High, b.High));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool All(Lanes8 mask) => (Vector256.ExtractMostSignificantBits(mask.Low) & Vector256.ExtractMostSignificantBits(mask.High)) == 0b1111;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes8 Round(Lanes8 a) => new(Vector256.Round(a.Low), Vector256.Round(a.High));
}
