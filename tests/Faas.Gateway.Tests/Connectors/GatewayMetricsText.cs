using System.Globalization;

namespace Faas.Gateway.Tests.Connectors;

/// <summary>Reads one series from a gateway's <c>/metrics</c>.</summary>
internal static class GatewayMetricsText
{
    /// <summary>The value of the series written exactly as <paramref name="series"/> (name and labels), 0 when absent.</summary>
    public static async Task<double> ValueAsync(string gatewayUrl, string series)
    {
        var text = await TestHttp.Client.GetStringAsync(gatewayUrl + "/metrics");
        var line = text.Split('\n').FirstOrDefault(line => line.StartsWith(series + " ", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
    }
}
