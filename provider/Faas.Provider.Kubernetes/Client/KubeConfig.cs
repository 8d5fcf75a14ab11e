using System.Text;
using YamlDotNet.Serialization;

namespace Faas.Provider.Kubernetes.Client;

/// <summary>
/// Finds the cluster: <c>$KUBECONFIG</c> (first file) or <c>~/.kube/config</c> at its current context (server, CA data or
/// file, <c>insecure-skip-tls-verify</c>, bearer token or token file, client certificate and key as data or files), else
/// in-cluster (<c>KUBERNETES_SERVICE_HOST</c>/<c>_PORT</c> and the service account's token, CA and namespace).
/// </summary>
public static class KubeConfig
{
    public const string ServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount";

    public static ClusterConnection Load(string? path = null)
    {
        path ??= Environment.GetEnvironmentVariable("KUBECONFIG")?.Split(':', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
        if (File.Exists(path))
        {
            return FromFile(path);
        }

        return InCluster() ?? throw new KubeConfigException($"no kubeconfig at {path} and not running in a cluster (KUBERNETES_SERVICE_HOST is unset)");
    }

    public static ClusterConnection FromFile(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var file = new DeserializerBuilder().IgnoreUnmatchedProperties().Build().Deserialize<ConfigFile>(File.ReadAllText(path))
            ?? throw new KubeConfigException($"{path} is empty");
        var contextName = file.CurrentContext ?? throw new KubeConfigException($"{path} has no current-context");
        var context = file.Contexts.FirstOrDefault(c => c.Name == contextName)?.Context
            ?? throw new KubeConfigException($"{path}: current-context '{contextName}' is not among its contexts");
        var cluster = file.Clusters.FirstOrDefault(c => c.Name == context.Cluster)?.Cluster
            ?? throw new KubeConfigException($"{path}: context '{contextName}' names cluster '{context.Cluster}', which is not defined");
        var user = file.Users.FirstOrDefault(u => u.Name == context.User)?.User ?? new UserEntry();
        return new ClusterConnection
        {
            Server = new Uri(cluster.Server ?? throw new KubeConfigException($"{path}: cluster '{context.Cluster}' has no server")),
            CertificateAuthorityPem = Read(cluster.CertificateAuthorityData, cluster.CertificateAuthority, directory),
            InsecureSkipTlsVerify = cluster.InsecureSkipTlsVerify,
            BearerToken = user.Token,
            BearerTokenFile = user.TokenFile is { } tokenFile ? Path.Combine(directory, tokenFile) : null,
            ClientCertificatePem = Read(user.ClientCertificateData, user.ClientCertificate, directory),
            ClientKeyPem = Read(user.ClientKeyData, user.ClientKey, directory),
            Namespace = context.Namespace,
        };
    }

    public static ClusterConnection? InCluster() =>
        InCluster(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST"), Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_PORT"), ServiceAccountDirectory);

    /// <summary>The API server at <paramref name="host"/>:<paramref name="port"/> (443 if unset), with the service account mounted at <paramref name="serviceAccount"/>; null outside a cluster.</summary>
    public static ClusterConnection? InCluster(string? host, string? port, string serviceAccount)
    {
        if (string.IsNullOrEmpty(host))
        {
            return null;
        }

        var namespaceFile = Path.Combine(serviceAccount, "namespace");
        return new ClusterConnection
        {
            Server = new Uri($"https://{(host.Contains(':') ? $"[{host}]" : host)}:{(string.IsNullOrEmpty(port) ? "443" : port)}"),
            CertificateAuthorityPem = File.ReadAllText(Path.Combine(serviceAccount, "ca.crt")),
            BearerTokenFile = Path.Combine(serviceAccount, "token"),
            Namespace = File.Exists(namespaceFile) ? File.ReadAllText(namespaceFile).Trim() : null,
        };
    }

    /// <summary>Base64 <c>*-data</c> wins over a file path (relative to the kubeconfig's directory).</summary>
    private static string? Read(string? data, string? file, string directory) =>
        data is { Length: > 0 } ? Encoding.UTF8.GetString(Convert.FromBase64String(data))
        : file is { Length: > 0 } ? File.ReadAllText(Path.Combine(directory, file))
        : null;

    private sealed class ConfigFile
    {
        [YamlMember(Alias = "current-context")]
        public string? CurrentContext { get; set; }

        [YamlMember(Alias = "clusters")]
        public List<NamedCluster> Clusters { get; set; } = [];

        [YamlMember(Alias = "users")]
        public List<NamedUser> Users { get; set; } = [];

        [YamlMember(Alias = "contexts")]
        public List<NamedContext> Contexts { get; set; } = [];
    }

    private sealed class NamedCluster
    {
        [YamlMember(Alias = "name")]
        public string Name { get; set; } = "";

        [YamlMember(Alias = "cluster")]
        public ClusterEntry? Cluster { get; set; }
    }

    private sealed class NamedUser
    {
        [YamlMember(Alias = "name")]
        public string Name { get; set; } = "";

        [YamlMember(Alias = "user")]
        public UserEntry? User { get; set; }
    }

    private sealed class NamedContext
    {
        [YamlMember(Alias = "name")]
        public string Name { get; set; } = "";

        [YamlMember(Alias = "context")]
        public ContextEntry? Context { get; set; }
    }

    private sealed class ClusterEntry
    {
        [YamlMember(Alias = "server")]
        public string? Server { get; set; }

        [YamlMember(Alias = "certificate-authority-data")]
        public string? CertificateAuthorityData { get; set; }

        [YamlMember(Alias = "certificate-authority")]
        public string? CertificateAuthority { get; set; }

        [YamlMember(Alias = "insecure-skip-tls-verify")]
        public bool InsecureSkipTlsVerify { get; set; }
    }

    private sealed class UserEntry
    {
        [YamlMember(Alias = "token")]
        public string? Token { get; set; }

        [YamlMember(Alias = "tokenFile")]
        public string? TokenFile { get; set; }

        [YamlMember(Alias = "client-certificate-data")]
        public string? ClientCertificateData { get; set; }

        [YamlMember(Alias = "client-certificate")]
        public string? ClientCertificate { get; set; }

        [YamlMember(Alias = "client-key-data")]
        public string? ClientKeyData { get; set; }

        [YamlMember(Alias = "client-key")]
        public string? ClientKey { get; set; }
    }

    private sealed class ContextEntry
    {
        [YamlMember(Alias = "cluster")]
        public string Cluster { get; set; } = "";

        [YamlMember(Alias = "user")]
        public string User { get; set; } = "";

        [YamlMember(Alias = "namespace")]
        public string? Namespace { get; set; }
    }
}
