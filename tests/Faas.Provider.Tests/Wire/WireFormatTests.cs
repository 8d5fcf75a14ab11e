using System.Text.Json;
using Faas.Provider.Wire;

namespace Faas.Provider.Tests.Wire;

public class WireFormatTests
{
    [Fact]
    public void Deployment_reads_faas_cli_json_field_for_field()
    {
        const string json = """
            {"service":"nodeinfo","image":"functions/nodeinfo:latest","namespace":"openfaas-fn","envProcess":"node main.js",
             "envVars":{"a":"b"},"constraints":["node.platform.os == linux"],"secrets":["api-key"],
             "labels":{"com.openfaas.scale.min":"2"},"annotations":{"topic":"orders"},
             "limits":{"memory":"128Mi","cpu":"100m"},"requests":{"memory":"64Mi","nvidia.com/gpu":"1"},"readOnlyRootFilesystem":true}
            """;

        var deployment = JsonSerializer.Deserialize(json, ProviderJson.Default.FunctionDeployment)!;

        Assert.Equal("nodeinfo", deployment.Service);
        Assert.Equal("functions/nodeinfo:latest", deployment.Image);
        Assert.Equal("node main.js", deployment.EnvProcess);
        Assert.Equal("b", deployment.EnvVars!["a"]);
        Assert.Equal(["api-key"], deployment.Secrets);
        Assert.Equal("2", deployment.Labels!["com.openfaas.scale.min"]);
        Assert.Equal("orders", deployment.Annotations!["topic"]);
        Assert.Equal("128Mi", deployment.Limits!.Memory);
        Assert.Equal("1", deployment.Requests!.NvidiaGpu);
        Assert.True(deployment.ReadOnlyRootFilesystem);
    }

    [Fact]
    public void Status_omits_empty_fields_as_go_omitempty_does_but_always_writes_name_image_maps_counts_and_createdAt()
    {
        var status = new FunctionStatus { Name = "echo", Image = "local", CreatedAt = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero) };

        var json = JsonSerializer.Serialize(status, ProviderJson.Wire.FunctionStatus);

        Assert.Equal("""{"name":"echo","image":"local","labels":{},"annotations":{},"invocationCount":0,"replicas":0,"availableReplicas":0,"createdAt":"2026-01-02T03:04:05Z"}""", json);
    }

    [Fact]
    public void A_status_from_a_deployment_always_has_label_and_annotation_maps_with_faas_function()
    {
        var bare = FunctionStatus.Of(new FunctionDeployment { Service = "bare", Image = "i" }, DateTimeOffset.UnixEpoch);
        var labelled = FunctionStatus.Of(new FunctionDeployment { Service = "kept", Image = "i", Labels = new() { ["team"] = "a" } }, DateTimeOffset.UnixEpoch);

        var json = JsonDocument.Parse(JsonSerializer.Serialize(bare, ProviderJson.Wire.FunctionStatus)).RootElement;

        Assert.Equal("bare", json.GetProperty("labels").GetProperty("faas_function").GetString());
        Assert.Equal(JsonValueKind.Object, json.GetProperty("annotations").ValueKind);
        Assert.Equal(new Dictionary<string, string> { ["team"] = "a", ["faas_function"] = "kept" }, labelled.Labels);
    }

    [Fact]
    public void Strings_and_times_are_written_as_go_writes_them()
    {
        var message = new LogMessage
        {
            Name = "f",
            Namespace = "ns",
            Instance = "f-1",
            Timestamp = new DateTimeOffset(2026, 12, 1, 3, 37, 56, 123, TimeSpan.FromHours(1)),
            Text = "a \"quote\" + <tag> & \\ \u2028 é\n",
        };

        var json = JsonSerializer.Serialize(message, ProviderJson.Wire.LogMessage);

        Assert.Equal("""{"name":"f","namespace":"ns","instance":"f-1","timestamp":"2026-12-01T02:37:56.123Z","text":"a \"quote\" + \u003ctag\u003e \u0026 \\ \u2028 é\n"}""", json);
        Assert.Equal(message, JsonSerializer.Deserialize(json, ProviderJson.Wire.LogMessage));
    }

    [Theory]
    [InlineData(0L, "2026-12-01T02:37:56Z")]
    [InlineData(1L, "2026-12-01T02:37:56.0000001Z")]
    [InlineData(10L, "2026-12-01T02:37:56.000001Z")]
    [InlineData(1_000_000L, "2026-12-01T02:37:56.1Z")]
    [InlineData(1_234_567L, "2026-12-01T02:37:56.1234567Z")]
    [InlineData(9_000_100L, "2026-12-01T02:37:56.90001Z")]
    public void Times_keep_only_the_fractional_digits_go_would(long ticks, string expected)
    {
        var at = new DateTimeOffset(2026, 12, 1, 3, 37, 56, TimeSpan.FromHours(1)).AddTicks(ticks);

        var json = JsonSerializer.Serialize(new LogMessage { Name = "f", Namespace = "ns", Instance = "f-1", Timestamp = at, Text = "" }, ProviderJson.Wire.LogMessage);

        Assert.Contains($"\"timestamp\":\"{expected}\"", json, StringComparison.Ordinal);
        Assert.Equal(at, JsonSerializer.Deserialize(json, ProviderJson.Wire.LogMessage)!.Timestamp);
    }

    [Fact]
    public void Status_writes_replica_counts_and_invocations_with_openfaas_names()
    {
        var status = new FunctionStatus { Name = "f", Image = "i", Namespace = "ns", Replicas = 3, AvailableReplicas = 2, InvocationCount = 7, Labels = new() { ["x"] = "y" } };

        var json = JsonDocument.Parse(JsonSerializer.Serialize(status, ProviderJson.Default.FunctionStatus)).RootElement;

        Assert.Equal(3, json.GetProperty("replicas").GetInt32());
        Assert.Equal(2, json.GetProperty("availableReplicas").GetInt32());
        Assert.Equal(7, json.GetProperty("invocationCount").GetDouble());
        Assert.Equal("ns", json.GetProperty("namespace").GetString());
        Assert.Equal("y", json.GetProperty("labels").GetProperty("x").GetString());
        Assert.False(json.TryGetProperty("restarts", out _));
    }

    [Fact]
    public void Secret_raw_value_is_base64_like_go_byte_slices()
    {
        var json = JsonSerializer.Serialize(new Secret { Name = "s", RawValue = [1, 2, 255] }, ProviderJson.Default.Secret);

        Assert.Equal("""{"name":"s","rawValue":"AQL/"}""", json);
    }

    [Fact]
    public void Scale_request_and_log_message_use_openfaas_names()
    {
        var scale = JsonSerializer.Deserialize("""{"serviceName":"f","replicas":4,"namespace":"dev"}""", ProviderJson.Default.ScaleServiceRequest)!;
        var log = JsonSerializer.Serialize(new LogMessage { Name = "f", Namespace = "ns", Instance = "f-1", Timestamp = DateTimeOffset.UnixEpoch, Text = "hi" }, ProviderJson.Default.LogMessage);
        var info = JsonSerializer.Serialize(new ProviderInfo { Provider = "p", Orchestration = "local", Version = new VersionInfo { Sha = "abc", CommitMessage = "m" } }, ProviderJson.Default.ProviderInfo);

        Assert.Equal(("f", 4UL, "dev"), (scale.ServiceName, scale.Replicas, scale.Namespace));
        Assert.Equal("""{"name":"f","namespace":"ns","instance":"f-1","timestamp":"1970-01-01T00:00:00Z","text":"hi"}""", log);
        Assert.Equal("""{"provider":"p","version":{"commit_message":"m","sha":"abc"},"orchestration":"local"}""", info);
    }
}
