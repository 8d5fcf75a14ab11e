using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Faas.Gateway.Invoke;

/// <summary>Sends invocation spans to an OpenTelemetry collector over OTLP/HTTP (protobuf), batched; flushed when the gateway stops.</summary>
internal static class Tracing
{
    /// <param name="endpoint">The collector's base URL (as <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, e.g. http://127.0.0.1:4318) or its full traces URL.</param>
    public static TracerProvider ExportTo(string endpoint)
    {
        var uri = new Uri(endpoint);
        if (uri.AbsolutePath is "" or "/")
        {
            uri = new Uri(uri, "/v1/traces");
        }

        return Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateDefault().AddService("faas-gateway"))
            .AddSource(InvocationTracing.SourceName)
            .AddOtlpExporter(exporter =>
            {
                exporter.Endpoint = uri;
                exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
            })
            .Build();
    }
}
