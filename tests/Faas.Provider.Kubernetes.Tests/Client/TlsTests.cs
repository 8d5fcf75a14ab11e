using Faas.Provider.Kubernetes.Client;
using Faas.Testing.Kubernetes;

namespace Faas.Provider.Kubernetes.Tests.Client;

/// <summary>The client's TLS: the cluster's CA pinned, insecure-skip-tls-verify, and client certificates, against the double over HTTPS.</summary>
public sealed class TlsTests
{
    private static readonly TestCertificates Cluster = TestCertificates.Create();

    [Fact]
    public async Task A_server_certificate_the_configured_ca_signed_is_trusted()
    {
        await using var server = await KubeApiServerDouble.StartAsync(Cluster);
        server.AddNamespace("openfaas-fn");
        using var client = new KubernetesClient(server.Connection with { CertificateAuthorityPem = Cluster.AuthorityPem });

        var namespaces = await client.Resources.Namespaces.ListAsync(null, null, CancellationToken.None);

        Assert.Equal(["openfaas-fn"], namespaces.Items.Select(n => n.Metadata.Name));
        Assert.StartsWith("https://", server.Url);
    }

    [Fact]
    public async Task A_server_certificate_from_another_ca_is_refused_unless_verification_is_off()
    {
        await using var server = await KubeApiServerDouble.StartAsync(Cluster);
        using var pinned = new KubernetesClient(server.Connection with { CertificateAuthorityPem = TestCertificates.Create("some-other-ca").AuthorityPem });
        using var insecure = new KubernetesClient(server.Connection with { InsecureSkipTlsVerify = true });

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => pinned.Resources.Namespaces.ListAsync(null, null, CancellationToken.None));
        var accepted = await insecure.Resources.Namespaces.ListAsync(null, null, CancellationToken.None);

        Assert.IsType<System.Security.Authentication.AuthenticationException>(refused.InnerException);
        Assert.NotNull(accepted.Metadata.ResourceVersion);
    }

    [Fact]
    public async Task A_client_certificate_authenticates_without_a_token()
    {
        await using var server = await KubeApiServerDouble.StartAsync(Cluster);
        using var client = new KubernetesClient(new ClusterConnection
        {
            Server = new Uri(server.Url),
            CertificateAuthorityPem = Cluster.AuthorityPem,
            ClientCertificatePem = Cluster.ClientCertificatePem,
            ClientKeyPem = Cluster.ClientKeyPem,
        });
        using var anonymous = new KubernetesClient(new ClusterConnection { Server = new Uri(server.Url), CertificateAuthorityPem = Cluster.AuthorityPem });

        var listed = await client.Resources.Namespaces.ListAsync(null, null, CancellationToken.None);
        var subject = server.LastClientCertificate;
        var refused = await Assert.ThrowsAsync<KubernetesException>(() => anonymous.Resources.Namespaces.ListAsync(null, null, CancellationToken.None));

        Assert.NotNull(listed.Metadata.ResourceVersion);
        Assert.Equal("CN=faas-gateway", subject);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, refused.Code);
    }
}
