using System.Security.Cryptography.X509Certificates;

namespace Faas.Provider.Kubernetes.Client;

/// <summary>Where the API server is and how to authenticate to it: what kubeconfig or the in-cluster service account says.</summary>
public sealed record ClusterConnection
{
    public required Uri Server { get; init; }

    /// <summary>The CA that signed the server's certificate (PEM); null to use the system's trust store.</summary>
    public string? CertificateAuthorityPem { get; init; }

    public bool InsecureSkipTlsVerify { get; init; }

    public string? BearerToken { get; init; }

    /// <summary>Read again for each request (in-cluster tokens are rotated), when set instead of <see cref="BearerToken"/>.</summary>
    public string? BearerTokenFile { get; init; }

    public string? ClientCertificatePem { get; init; }

    public string? ClientKeyPem { get; init; }

    /// <summary>The namespace the context (or the service account) names.</summary>
    public string? Namespace { get; init; }

    public X509Certificate2? ClientCertificate() =>
        ClientCertificatePem is { } certificate && ClientKeyPem is { } key ? X509Certificate2.CreateFromPem(certificate, key) : null;
}
