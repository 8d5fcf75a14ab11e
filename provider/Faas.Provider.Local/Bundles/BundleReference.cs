using System.Text.RegularExpressions;

namespace Faas.Provider.Local.Bundles;

/// <summary>An image reference naming a stored bundle: <c>bundle:NAME@sha256:HEX</c>.</summary>
internal static partial class BundleReference
{
    public const string Prefix = "bundle:";

    [GeneratedRegex("^bundle:(?<name>[a-z0-9]([-a-z0-9._]*[a-z0-9])?)@sha256:(?<digest>[0-9a-f]{64})$")]
    private static partial Regex Pattern();

    public static string Format(string name, string digest) => $"{Prefix}{name}@sha256:{digest}";

    public static bool IsBundle(string image) => image.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The digest of a well-formed reference, or null.</summary>
    public static string? Digest(string image) => Pattern().Match(image) is { Success: true } match ? match.Groups["digest"].Value : null;
}
