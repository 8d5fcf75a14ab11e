using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Faas.Provider.Kubernetes.Api;

namespace Faas.Provider.Kubernetes.Client;

/// <summary>
/// HTTP to the API server: authentication (bearer token or client certificate), the server's CA, and errors as
/// <see cref="KubernetesException"/>s carrying the API's <see cref="Status"/>. Typed access per resource is
/// <see cref="KubeResource{T}"/>; <see cref="Resources"/> has the ones this backend uses.
/// </summary>
public sealed class KubernetesClient : IDisposable
{
    public const string MergePatch = "application/merge-patch+json";

    public const string StrategicMergePatch = "application/strategic-merge-patch+json";

    private readonly HttpClient _http;
    private readonly ClusterConnection _connection;

    public KubernetesClient(ClusterConnection connection)
    {
        _connection = connection;
        var handler = new SocketsHttpHandler { UseProxy = false, PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60) };
        if (connection.ClientCertificate() is { } certificate)
        {
            handler.SslOptions.ClientCertificates = [certificate];
        }

        if (connection.InsecureSkipTlsVerify)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }
        else if (connection.CertificateAuthorityPem is { } authorityPem)
        {
            var authority = X509Certificate2.CreateFromPem(authorityPem);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => TrustedBy(authority, certificate, errors);
        }

        _http = new HttpClient(handler) { BaseAddress = connection.Server, Timeout = Timeout.InfiniteTimeSpan };
        Resources = new KubeResources(this);
    }

    public KubeResources Resources { get; }

    /// <summary>The namespace of the current context or the service account, if any.</summary>
    public string? DefaultNamespace => _connection.Namespace;

    public async Task<T> SendAsync<T>(HttpMethod method, string path, HttpContent? content, JsonTypeInfo<T> type, string operation, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(method, path, content, operation, HttpCompletionOption.ResponseContentRead, cancellationToken);
        return await JsonSerializer.DeserializeAsync(await response.Content.ReadAsStreamAsync(cancellationToken), type, cancellationToken)
            ?? throw new KubernetesException(response.StatusCode, null, $"{operation}: an empty answer");
    }

    /// <summary>A streamed response (watch, follow logs): lines as the server writes them.</summary>
    public async IAsyncEnumerable<string> StreamLinesAsync(string path, string operation, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, operation, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            yield return line;
        }
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content, string operation, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (await TokenAsync(cancellationToken) is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var response = await _http.SendAsync(request, completion, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            Status? status = null;
            try
            {
                status = JsonSerializer.Deserialize(body, KubeJson.Default.Status);
            }
            catch (JsonException)
            {
                status = new Status { Message = body.Trim(), Code = (int)response.StatusCode };
            }

            throw new KubernetesException(response.StatusCode, status, operation);
        }
    }

    public static StringContent Json<T>(T value, JsonTypeInfo<T> type) => new(JsonSerializer.Serialize(value, type), Encoding.UTF8, "application/json");

    public void Dispose() => _http.Dispose();

    private async Task<string?> TokenAsync(CancellationToken cancellationToken) =>
        _connection.BearerTokenFile is { } file ? (await File.ReadAllTextAsync(file, cancellationToken)).Trim() : _connection.BearerToken;

    private static bool TrustedBy(X509Certificate2 authority, X509Certificate? presented, SslPolicyErrors errors)
    {
        if (presented is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(authority);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(new X509Certificate2(presented));
    }
}
