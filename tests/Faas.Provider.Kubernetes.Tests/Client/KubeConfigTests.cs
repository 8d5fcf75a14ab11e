using System.Text;
using Faas.Provider.Kubernetes.Client;
using Faas.Testing;

namespace Faas.Provider.Kubernetes.Tests.Client;

public sealed class KubeConfigTests
{
    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void The_current_context_picks_cluster_user_and_namespace()
    {
        using var directory = new TempDirectory("faas-kubeconfig-");
        File.WriteAllText(directory.Combine("ca.crt"), "CA FROM FILE");
        File.WriteAllText(directory.Combine("config"), $$"""
            apiVersion: v1
            kind: Config
            current-context: dev
            clusters:
            - name: prod
              cluster:
                server: https://prod.example:6443
                certificate-authority-data: {{Base64("PROD CA")}}
            - name: dev
              cluster:
                server: https://127.0.0.1:6443
                certificate-authority: ca.crt
            users:
            - name: admin
              user:
                client-certificate-data: {{Base64("CERT")}}
                client-key-data: {{Base64("KEY")}}
            - name: robot
              user:
                token: abc123
            contexts:
            - name: prod
              context: { cluster: prod, user: admin }
            - name: dev
              context: { cluster: dev, user: robot, namespace: team-a }
            """);

        var connection = KubeConfig.FromFile(directory.Combine("config"));

        Assert.Equal(new Uri("https://127.0.0.1:6443"), connection.Server);
        Assert.Equal("CA FROM FILE", connection.CertificateAuthorityPem);
        Assert.Equal("abc123", connection.BearerToken);
        Assert.Null(connection.ClientCertificatePem);
        Assert.Equal("team-a", connection.Namespace);
        Assert.False(connection.InsecureSkipTlsVerify);
    }

    [Fact]
    public void Client_certificates_and_insecure_clusters_are_read()
    {
        using var directory = new TempDirectory("faas-kubeconfig-");
        File.WriteAllText(directory.Combine("config"), $$"""
            current-context: c
            clusters:
            - name: k
              cluster: { server: "https://k.example", insecure-skip-tls-verify: true }
            users:
            - name: u
              user: { client-certificate-data: {{Base64("CERT")}}, client-key-data: {{Base64("KEY")}} }
            contexts:
            - name: c
              context: { cluster: k, user: u }
            """);

        var connection = KubeConfig.FromFile(directory.Combine("config"));

        Assert.True(connection.InsecureSkipTlsVerify);
        Assert.Equal(("CERT", "KEY"), (connection.ClientCertificatePem, connection.ClientKeyPem));
        Assert.Null(connection.BearerToken);
    }

    [Fact]
    public void A_context_naming_an_undefined_cluster_is_a_clear_error()
    {
        using var directory = new TempDirectory("faas-kubeconfig-");
        File.WriteAllText(directory.Combine("config"), "current-context: c\ncontexts:\n- name: c\n  context: { cluster: ghost, user: u }\n");

        var error = Assert.Throws<KubeConfigException>(() => KubeConfig.FromFile(directory.Combine("config")));

        Assert.Equal($"{directory.Combine("config")}: context 'c' names cluster 'ghost', which is not defined", error.Message);
    }

    [Fact]
    public void In_a_cluster_the_service_account_is_used_and_its_token_is_read_per_request()
    {
        using var account = new TempDirectory("faas-serviceaccount-");
        File.WriteAllText(account.Combine("ca.crt"), "CLUSTER CA");
        File.WriteAllText(account.Combine("token"), "rotating-token");
        File.WriteAllText(account.Combine("namespace"), "openfaas\n");

        var connection = KubeConfig.InCluster("kubernetes.default.svc", "6443", account.Path)!;
        var ipv6 = KubeConfig.InCluster("::1", null, account.Path)!;

        Assert.Equal(new Uri("https://kubernetes.default.svc:6443"), connection.Server);
        Assert.Equal("CLUSTER CA", connection.CertificateAuthorityPem);
        Assert.Equal(account.Combine("token"), connection.BearerTokenFile);
        Assert.Null(connection.BearerToken);
        Assert.Equal("openfaas", connection.Namespace);
        Assert.Equal(new Uri("https://[::1]:443"), ipv6.Server);
        Assert.Null(KubeConfig.InCluster(null, null, account.Path));
    }
}
