using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Faas.Provider.Docker.Engine;

/// <summary>
/// The Docker Engine API over its unix socket, versioned: the client speaks up to <see cref="MaxApiVersion"/> and uses
/// the server's version when that is lower (negotiated once, from <c>GET /version</c>). Failures are
/// <see cref="DockerException"/>s carrying the Engine's status and message.
/// </summary>
public sealed class DockerEngine : IDisposable
{
    public const string DefaultSocket = "/var/run/docker.sock";

    /// <summary>The newest API version this client was written against.</summary>
    public static readonly Version MaxApiVersion = new(1, 43);

    /// <summary>The oldest it accepts (Docker 20.10, as in Debian 12).</summary>
    public static readonly Version MinApiVersion = new(1, 41);

    private readonly HttpClient _http;
    private string _prefix = "";

    public DockerEngine(string socketPath)
    {
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        _http = new HttpClient(handler) { BaseAddress = new Uri("http://docker"), Timeout = Timeout.InfiniteTimeSpan };
        SocketPath = socketPath;
    }

    public string SocketPath { get; }

    public EngineVersion Server { get; private set; } = new();

    /// <summary>The API version in use.</summary>
    public Version ApiVersion { get; private set; } = MinApiVersion;

    public static async Task<DockerEngine> ConnectAsync(string socketPath = DefaultSocket, CancellationToken cancellationToken = default)
    {
        var engine = new DockerEngine(socketPath);
        await engine.VerifyAsync(cancellationToken);
        return engine;
    }

    /// <summary>Asks the engine its version and settles the API version to speak; <see cref="DockerException"/> if none answers.</summary>
    public async Task VerifyAsync(CancellationToken cancellationToken = default)
    {
        var engine = this;
        try
        {
            engine.Server = await engine.GetAsync("/version", EngineJson.Default.EngineVersion, "version", cancellationToken);
        }
        catch (HttpRequestException error)
        {
            throw new DockerException(HttpStatusCode.ServiceUnavailable, $"no Docker Engine answers on {SocketPath}: {error.Message}", "connect");
        }

        var server = Version.Parse(engine.Server.ApiVersion);
        if (server < MinApiVersion)
        {
            throw new DockerException(HttpStatusCode.NotImplemented, $"the engine speaks API {server}, older than the {MinApiVersion} this backend needs", "connect");
        }

        engine.ApiVersion = server < MaxApiVersion ? server : MaxApiVersion;
        engine._prefix = $"/v{engine.ApiVersion.Major}.{engine.ApiVersion.Minor}";
    }

    public async Task PingAsync(CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Get, "/_ping", null, "ping", cancellationToken);
    }

    /// <summary>Imports a root filesystem tarball as an image (<c>docker import</c>), for images made without a registry.</summary>
    /// <param name="changes">Dockerfile instructions applied to the image, e.g. <c>CMD ["/usr/bin/watchdog"]</c>.</param>
    public async Task ImportImageAsync(Stream rootfsTar, string repository, string tag, IEnumerable<string>? changes = null, CancellationToken cancellationToken = default)
    {
        using var content = new StreamContent(rootfsTar);
        content.Headers.ContentType = new("application/x-tar");
        var path = $"/images/create?fromSrc=-&repo={Uri.EscapeDataString(repository)}&tag={Uri.EscapeDataString(tag)}"
            + string.Concat((changes ?? []).Select(change => "&changes=" + Uri.EscapeDataString(change)));
        await foreach (var _ in ProgressAsync(HttpMethod.Post, path, content, $"import {repository}:{tag}", cancellationToken))
        {
        }
    }

    /// <summary>Pulls an image (<c>repository[:tag]</c> or <c>repository@digest</c>) from its registry; a failure throws with the registry's message.</summary>
    public async Task PullImageAsync(string image, CancellationToken cancellationToken = default)
    {
        var lastSlash = image.LastIndexOf('/');
        var colon = image.LastIndexOf(':');
        var query = !image.Contains('@') && colon > lastSlash
            ? $"fromImage={Uri.EscapeDataString(image[..colon])}&tag={Uri.EscapeDataString(image[(colon + 1)..])}"
            : $"fromImage={Uri.EscapeDataString(image)}" + (image.Contains('@') ? "" : "&tag=latest");
        await foreach (var _ in ProgressAsync(HttpMethod.Post, $"/images/create?{query}", null, $"pull {image}", cancellationToken))
        {
        }
    }

    /// <summary>Builds an image from a tar build context, streaming the build's output lines; a failed step throws with its message.</summary>
    public IAsyncEnumerable<string> BuildImageAsync(Stream contextTar, string tag, IReadOnlyDictionary<string, string>? buildArgs, CancellationToken cancellationToken = default)
    {
        var content = new StreamContent(contextTar);
        content.Headers.ContentType = new("application/x-tar");
        var args = JsonSerializer.Serialize(buildArgs is null ? [] : new Dictionary<string, string>(buildArgs), EngineJson.Default.DictionaryStringString);
        return ProgressAsync(HttpMethod.Post, $"/build?t={Uri.EscapeDataString(tag)}&rm=1&forcerm=1&buildargs={Uri.EscapeDataString(args)}", content, $"build {tag}", cancellationToken);
    }

    /// <summary>Pushes an image to its registry; <paramref name="registryAuth"/> is the base64 JSON auth header (or null for none).</summary>
    public IAsyncEnumerable<string> PushImageAsync(string image, string tag, string? registryAuth, CancellationToken cancellationToken = default)
    {
        var headers = new Dictionary<string, string> { ["X-Registry-Auth"] = registryAuth ?? Convert.ToBase64String("{}"u8.ToArray()) };
        return ProgressAsync(HttpMethod.Post, $"/images/{image}/push?tag={Uri.EscapeDataString(tag)}", null, $"push {image}:{tag}", cancellationToken, headers);
    }

    public async Task RemoveImageAsync(string image, bool force, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Delete, $"/images/{image}?force={(force ? "true" : "false")}", null, $"remove image {image}", cancellationToken);
    }

    /// <summary>An image's details; NotFound (404) if the engine does not have it.</summary>
    public Task<ImageDetails> InspectImageAsync(string image, CancellationToken cancellationToken = default) =>
        GetAsync($"/images/{image}/json", EngineJson.Default.ImageDetails, $"inspect image {image}", cancellationToken);

    /// <summary>Creates a named volume; the engine keeps its labels, so a volume can hold a small record that outlives every container.</summary>
    public async Task CreateVolumeAsync(string name, Dictionary<string, string> labels, CancellationToken cancellationToken = default)
    {
        var spec = new VolumeSpec { Name = name, Labels = labels };
        using var response = await SendAsync(HttpMethod.Post, "/volumes/create", JsonContent.Create(spec, EngineJson.Default.VolumeSpec), $"create volume {name}", cancellationToken);
    }

    /// <summary>Volumes carrying every given label.</summary>
    public async Task<List<VolumeSummary>> ListVolumesAsync(IEnumerable<string> labels, CancellationToken cancellationToken = default)
    {
        var filters = JsonSerializer.Serialize(new Dictionary<string, List<string>> { ["label"] = [.. labels] }, EngineJson.Default.DictionaryStringListString);
        var list = await GetAsync($"/volumes?filters={Uri.EscapeDataString(filters)}", EngineJson.Default.VolumeList, "list volumes", cancellationToken);
        return list.Volumes ?? [];
    }

    public async Task RemoveVolumeAsync(string name, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Delete, $"/volumes/{Uri.EscapeDataString(name)}", null, $"remove volume {name}", cancellationToken);
    }

    /// <summary>Creates a user-defined bridge network unless one of that name exists.</summary>
    public async Task EnsureNetworkAsync(string name, CancellationToken cancellationToken = default)
    {
        try
        {
            using var existing = await SendAsync(HttpMethod.Get, $"/networks/{Uri.EscapeDataString(name)}", null, $"inspect network {name}", cancellationToken);
        }
        catch (DockerException error) when (error.Status == HttpStatusCode.NotFound)
        {
            var spec = new NetworkSpec { Name = name, Driver = "bridge", CheckDuplicate = true };
            using var created = await SendAsync(HttpMethod.Post, "/networks/create", JsonContent.Create(spec, EngineJson.Default.NetworkSpec), $"create network {name}", cancellationToken);
        }
    }

    public async Task RemoveNetworkAsync(string name, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Delete, $"/networks/{Uri.EscapeDataString(name)}", null, $"remove network {name}", cancellationToken);
    }

    public async Task<string> CreateContainerAsync(string name, ContainerSpec spec, CancellationToken cancellationToken = default)
    {
        var created = await SendJsonAsync(HttpMethod.Post, $"/containers/create?name={Uri.EscapeDataString(name)}",
            JsonContent.Create(spec, EngineJson.Default.ContainerSpec), EngineJson.Default.CreatedContainer, $"create container {name}", cancellationToken);
        return created.Id;
    }

    public async Task StartContainerAsync(string id, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Post, $"/containers/{id}/start", null, $"start {id}", cancellationToken, allowNotModified: true);
    }

    /// <summary>SIGTERM, then SIGKILL after <paramref name="grace"/> (the Engine's stop).</summary>
    public async Task StopContainerAsync(string id, TimeSpan grace, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Post, $"/containers/{id}/stop?t={(int)Math.Ceiling(grace.TotalSeconds)}", null, $"stop {id}", cancellationToken, allowNotModified: true);
    }

    public async Task KillContainerAsync(string id, string signal = "SIGKILL", CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Post, $"/containers/{id}/kill?signal={signal}", null, $"kill {id}", cancellationToken);
    }

    public async Task RemoveContainerAsync(string id, bool force, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(HttpMethod.Delete, $"/containers/{id}?force={(force ? "true" : "false")}&v=true", null, $"remove {id}", cancellationToken);
    }

    public Task<ContainerDetails> InspectContainerAsync(string id, CancellationToken cancellationToken = default) =>
        GetAsync($"/containers/{id}/json", EngineJson.Default.ContainerDetails, $"inspect {id}", cancellationToken);

    /// <summary>Containers (stopped ones too) carrying every given label (<c>key=value</c> or just <c>key</c>).</summary>
    public Task<List<ContainerSummary>> ListContainersAsync(IEnumerable<string> labels, CancellationToken cancellationToken = default)
    {
        var filters = JsonSerializer.Serialize(new Dictionary<string, List<string>> { ["label"] = [.. labels] }, EngineJson.Default.DictionaryStringListString);
        return GetAsync($"/containers/json?all=true&filters={Uri.EscapeDataString(filters)}", EngineJson.Default.ListContainerSummary, "list containers", cancellationToken);
    }

    /// <summary>Waits until the container stops; its exit code.</summary>
    public async Task<int> WaitContainerAsync(string id, CancellationToken cancellationToken = default) =>
        (await SendJsonAsync(HttpMethod.Post, $"/containers/{id}/wait", null, EngineJson.Default.WaitResult, $"wait {id}", cancellationToken)).StatusCode;

    /// <summary>
    /// The container's output as stdout/stderr frames; <paramref name="follow"/> keeps streaming until it stops. With
    /// <paramref name="timestamps"/> every line starts with its RFC 3339 time and a space.
    /// </summary>
    public async IAsyncEnumerable<LogFrame> LogsAsync(string id, bool follow, int? tail = null, DateTimeOffset? since = null, bool timestamps = false, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var query = new StringBuilder($"/containers/{id}/logs?stdout=true&stderr=true&timestamps={(timestamps ? "true" : "false")}&follow={(follow ? "true" : "false")}");
        if (tail is not null)
        {
            query.Append("&tail=").Append(tail.Value.ToString(CultureInfo.InvariantCulture));
        }

        if (since is not null)
        {
            query.Append("&since=").Append(since.Value.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        }

        using var response = await SendAsync(HttpMethod.Get, query.ToString(), null, $"logs of {id}", cancellationToken, completion: HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var frame in MultiplexedStream.ReadAsync(stream, cancellationToken))
        {
            yield return frame;
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<T> GetAsync<T>(string path, JsonTypeInfo<T> type, string operation, CancellationToken cancellationToken) =>
        await SendJsonAsync(HttpMethod.Get, path, null, type, operation, cancellationToken);

    private async Task<T> SendJsonAsync<T>(HttpMethod method, string path, HttpContent? content, JsonTypeInfo<T> type, string operation, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(method, path, content, operation, cancellationToken);
        return await response.Content.ReadFromJsonAsync(type, cancellationToken) ?? throw new DockerException(response.StatusCode, "an empty answer", operation);
    }

    /// <summary>Streams a JSON-lines progress report; an <c>error</c> line becomes a <see cref="DockerException"/> naming it.</summary>
    private async IAsyncEnumerable<string> ProgressAsync(HttpMethod method, string path, HttpContent? content, string operation, [EnumeratorCancellation] CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? headers = null)
    {
        using var response = await SendAsync(method, path, content, operation, cancellationToken, HttpCompletionOption.ResponseHeadersRead, headers: headers);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var progress = JsonSerializer.Deserialize(line, EngineJson.Default.ProgressLine);
            if (progress?.Error is { } error)
            {
                throw new DockerException(HttpStatusCode.InternalServerError, error.Trim(), operation);
            }

            if ((progress?.Stream ?? progress?.Status)?.TrimEnd('\n') is { Length: > 0 } text)
            {
                yield return text;
            }
        }
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content, string operation, CancellationToken cancellationToken,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead, bool allowNotModified = false, IReadOnlyDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, _prefix + path) { Content = content };
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var response = await _http.SendAsync(request, completion, cancellationToken);
        if (response.IsSuccessStatusCode || (allowNotModified && response.StatusCode == HttpStatusCode.NotModified))
        {
            return response;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            string message;
            try
            {
                message = JsonSerializer.Deserialize(body, EngineJson.Default.EngineError)?.Message ?? body;
            }
            catch (JsonException)
            {
                message = body.Trim();
            }

            throw new DockerException(response.StatusCode, message, operation);
        }
    }
}
