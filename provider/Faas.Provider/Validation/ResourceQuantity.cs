using System.Globalization;
using Faas.Provider.Wire;

namespace Faas.Provider.Validation;

/// <summary>
/// Kubernetes resource quantities as OpenFaaS uses them in <c>limits</c> and <c>requests</c>: memory in bytes with
/// binary (<c>Ki Mi Gi Ti</c>) or decimal (<c>k M G T</c>) suffixes, CPU in cores or millicores (<c>500m</c>).
/// </summary>
public static class ResourceQuantity
{
    private static readonly (string Suffix, decimal Factor)[] Suffixes =
    [
        ("Ki", 1024m), ("Mi", 1024m * 1024), ("Gi", 1024m * 1024 * 1024), ("Ti", 1024m * 1024 * 1024 * 1024),
        ("k", 1e3m), ("M", 1e6m), ("G", 1e9m), ("T", 1e12m), ("m", 0.001m),
    ];

    /// <summary>The quantity's value in base units (bytes, cores), or null if it is not a quantity.</summary>
    public static decimal? TryParse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var (number, factor) = Suffixes.Where(s => text.EndsWith(s.Suffix, StringComparison.Ordinal)).Select(s => (text[..^s.Suffix.Length], s.Factor)).FirstOrDefault((text, 1m));
        return decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value >= 0 ? value * factor : null;
    }

    /// <summary>Bytes of a memory quantity (0 when unset).</summary>
    public static long Bytes(string? memory) => (long)Math.Ceiling(TryParse(memory) ?? 0);

    /// <summary>Billionths of a CPU (Docker's NanoCpus; 0 when unset).</summary>
    public static long NanoCpus(string? cpu) => (long)Math.Ceiling((TryParse(cpu) ?? 0) * 1_000_000_000);

    /// <summary>The first bad quantity in <paramref name="resources"/>, named by <paramref name="field"/>, or null.</summary>
    public static string? Check(string field, FunctionResources? resources)
    {
        if (resources is null)
        {
            return null;
        }

        foreach (var (name, value) in new[] { ("memory", resources.Memory), ("cpu", resources.Cpu) })
        {
            if (!string.IsNullOrEmpty(value) && TryParse(value) is null)
            {
                return $"{field}.{name} '{value}' is not a quantity (for example 128Mi, 1Gi, 500m or 2)";
            }
        }

        return null;
    }
}
