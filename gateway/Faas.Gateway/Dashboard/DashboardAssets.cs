using System.IO.Hashing;
using System.Reflection;

namespace Faas.Gateway.Dashboard;

/// <summary>
/// The dashboard's built files (<c>gateway/dashboard</c>, compiled by its own build into <c>dist/</c>), embedded in the
/// gateway and read once: no files to deploy beside it, and nothing fetched from anywhere but the gateway.
/// </summary>
internal sealed class DashboardAssets
{
    private const string Prefix = "dashboard/";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".ico"] = "image/x-icon",
        [".json"] = "application/json",
    };

    private readonly Dictionary<string, Asset> _assets = new(StringComparer.Ordinal);

    public DashboardAssets()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        foreach (var name in assembly.GetManifestResourceNames().Where(name => name.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            var path = name[Prefix.Length..];
            _assets[path] = new Asset(bytes, ContentTypes.GetValueOrDefault(Path.GetExtension(path)) ?? "application/octet-stream",
                "\"" + XxHash3.HashToUInt64(bytes).ToString("x16", System.Globalization.CultureInfo.InvariantCulture) + "\"");
        }
    }

    public bool Built => _assets.ContainsKey("index.html");

    public Asset? Find(string path) => _assets.GetValueOrDefault(path.Length == 0 ? "index.html" : path);

    internal sealed record Asset(byte[] Bytes, string ContentType, string ETag);
}
