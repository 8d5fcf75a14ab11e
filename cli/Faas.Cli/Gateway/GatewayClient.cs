using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Faas.Provider.Wire;

namespace Faas.Cli.Gateway;

/// <summary>
/// The OpenFaaS API of one gateway. Every failure becomes a <see cref="CliException"/> naming what was asked and what
/// the gateway said (its one-line error body), so commands never show a stack trace.
/// </summary>
internal sealed class GatewayClient : IDisposable
{
    private readonly HttpClient _http;

    /// <param name="login">The credentials to send; by default the saved ones for <paramref name="url"/>.</param>
    public GatewayClient(string url, (string User, string Password)? login = null)
    {
        Url = url;
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = Timeout.InfiniteTimeSpan };
        if ((login ?? Credentials.For(url)) is var (user, password))
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        }
    }

    public string Url { get; }

    public async Task<List<FunctionStatus>> ListAsync(string? @namespace, CancellationToken cancellationToken) =>
        await GetJsonAsync($"/system/functions{NamespaceQuery(@namespace)}", ProviderJson.Default.ListFunctionStatus, "list functions", cancellationToken) ?? [];

    public async Task<FunctionStatus> DescribeAsync(string name, string? @namespace, CancellationToken cancellationToken) =>
        (await GetJsonAsync($"/system/function/{Uri.EscapeDataString(name)}{NamespaceQuery(@namespace)}", ProviderJson.Default.FunctionStatus, $"describe {name}", cancellationToken))!;

    /// <summary>Creates the function, or updates it if it exists (as <c>faas-cli deploy</c> does); true if it was updated.</summary>
    public async Task<bool> DeployAsync(FunctionDeployment deployment, CancellationToken cancellationToken)
    {
        using var created = await SendAsync(HttpMethod.Post, "/system/functions", JsonContent.Create(deployment, ProviderJson.Default.FunctionDeployment), cancellationToken);
        if (created.StatusCode != HttpStatusCode.Conflict)
        {
            await EnsureAsync(created, $"deploy {deployment.Service}", cancellationToken);
            return false;
        }

        using var updated = await SendAsync(HttpMethod.Put, "/system/functions", JsonContent.Create(deployment, ProviderJson.Default.FunctionDeployment), cancellationToken);
        await EnsureAsync(updated, $"update {deployment.Service}", cancellationToken);
        return true;
    }

    public async Task RemoveAsync(string name, string? @namespace, CancellationToken cancellationToken)
    {
        var request = new DeleteFunctionRequest { FunctionName = name, Namespace = @namespace };
        using var response = await SendAsync(HttpMethod.Delete, "/system/functions", JsonContent.Create(request, ProviderJson.Default.DeleteFunctionRequest), cancellationToken);
        await EnsureAsync(response, $"remove {name}", cancellationToken);
    }

    public async Task ScaleAsync(string name, string? @namespace, ulong replicas, CancellationToken cancellationToken)
    {
        var request = new ScaleServiceRequest { ServiceName = name, Namespace = @namespace, Replicas = replicas };
        using var response = await SendAsync(HttpMethod.Post, $"/system/scale-function/{Uri.EscapeDataString(name)}", JsonContent.Create(request, ProviderJson.Default.ScaleServiceRequest), cancellationToken);
        await EnsureAsync(response, $"scale {name}", cancellationToken);
    }

    /// <summary>Uploads a bundle (gzipped tar) to the local backend; returns the image reference to deploy.</summary>
    public async Task<string> UploadBundleAsync(string name, Stream archive, CancellationToken cancellationToken)
    {
        using var content = new StreamContent(archive);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/gzip");
        using var response = await SendAsync(HttpMethod.Post, $"/system/bundles/{Uri.EscapeDataString(name)}", content, cancellationToken);
        await EnsureAsync(response, $"push {name}", cancellationToken);
        var uploaded = await response.Content.ReadFromJsonAsync(CliJson.Default.BundleUploaded, cancellationToken);
        return uploaded?.Image ?? throw new CliException($"push {name}: the gateway did not say which image it stored");
    }

    public async IAsyncEnumerable<LogMessage> LogsAsync(string name, string? @namespace, bool follow, int? tail, DateTimeOffset? since, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var query = new StringBuilder($"/system/logs?name={Uri.EscapeDataString(name)}&follow={(follow ? "true" : "false")}");
        if (!string.IsNullOrEmpty(@namespace))
        {
            query.Append("&namespace=").Append(Uri.EscapeDataString(@namespace));
        }

        if (tail is not null)
        {
            query.Append("&tail=").Append(tail.Value);
        }

        if (since is not null)
        {
            query.Append("&since=").Append(Uri.EscapeDataString(since.Value.ToString("O")));
        }

        using var response = await SendAsync(HttpMethod.Get, query.ToString(), null, cancellationToken, HttpCompletionOption.ResponseHeadersRead);
        await EnsureAsync(response, $"logs of {name}", cancellationToken);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length > 0 && JsonSerializer.Deserialize(line, ProviderJson.Default.LogMessage) is { } message)
            {
                yield return message;
            }
        }
    }

    public async Task SaveSecretAsync(Secret secret, bool update, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(update ? HttpMethod.Put : HttpMethod.Post, "/system/secrets", JsonContent.Create(secret, ProviderJson.Default.Secret), cancellationToken);
        await EnsureAsync(response, $"{(update ? "update" : "create")} secret {secret.Name}", cancellationToken);
    }

    public async Task<List<Secret>> ListSecretsAsync(string? @namespace, CancellationToken cancellationToken) =>
        await GetJsonAsync($"/system/secrets{NamespaceQuery(@namespace)}", ProviderJson.Default.ListSecret, "list secrets", cancellationToken) ?? [];

    public async Task RemoveSecretAsync(string name, string? @namespace, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Delete, "/system/secrets", JsonContent.Create(new Secret { Name = name, Namespace = @namespace }, ProviderJson.Default.Secret), cancellationToken);
        await EnsureAsync(response, $"remove secret {name}", cancellationToken);
    }

    public async Task<JsonElement> InfoAsync(CancellationToken cancellationToken) =>
        await GetJsonAsync("/system/info", CliJson.Default.JsonElement, "read the gateway's version", cancellationToken);

    /// <summary>Sends an invocation as is; the caller reads the response (any status).</summary>
    public async Task<HttpResponseMessage> InvokeAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException error)
        {
            throw Unreachable(error);
        }
    }

    public void Dispose() => _http.Dispose();

    private static string NamespaceQuery(string? @namespace) => string.IsNullOrEmpty(@namespace) ? "" : "?namespace=" + Uri.EscapeDataString(@namespace);

    private async Task<T?> GetJsonAsync<T>(string path, JsonTypeInfo<T> type, string what, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, cancellationToken);
        await EnsureAsync(response, what, cancellationToken);
        return await response.Content.ReadFromJsonAsync(type, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken, HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead)
    {
        using var request = new HttpRequestMessage(method, Url + path) { Content = content };
        try
        {
            return await _http.SendAsync(request, completion, cancellationToken);
        }
        catch (HttpRequestException error)
        {
            throw Unreachable(error);
        }
    }

    private CliException Unreachable(HttpRequestException error) =>
        new($"cannot reach the gateway at {Url}: {error.Message} (is it running? `make run` starts one)");

    private static async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            throw new CliException($"{what}: unauthorized: run 'faas login' (or set FAAS_ADMIN_PASSWORD)");
        }

        var body = (await response.Content.ReadAsStringAsync(cancellationToken)).Trim();
        var firstLine = body.Split('\n', 2)[0];
        throw new CliException($"{what}: {(int)response.StatusCode} {response.ReasonPhrase}{(firstLine.Length > 0 ? ": " + firstLine : "")}");
    }
}

internal sealed class BundleUploaded
{
    [System.Text.Json.Serialization.JsonPropertyName("image")]
    public string? Image { get; set; }
}
