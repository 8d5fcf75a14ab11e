using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Faas.Posix;
using k8s;
using k8s.Models;

namespace Faas.Harness.Kubernetes;

/// <summary>
/// A real Kubernetes v1.26 control plane on loopback, as controller-runtime's envtest runs one: Debian's etcd,
/// kube-apiserver (RBAC on, token authentication, a throwaway CA) and kube-controller-manager (Deployments get
/// ReplicaSets and Pods, foreground deletion and namespace deletion finish). There is no scheduler and no kubelet: pods
/// stay Pending and no container runs (<see cref="KubeletDouble"/> serves pod logs where a test needs them). Binaries
/// from <c>KUBEBUILDER_ASSETS</c> (see <see cref="KubeAvailability"/>); every process is stopped by its PID on dispose. <see cref="StopApiServerAsync"/> and <see cref="StartApiServerAsync"/>
/// take the API server away and bring it back on the same port, as an outage would.
/// </summary>
public sealed class KubeControlPlane : IAsyncDisposable
{
    /// <summary>In group <c>system:masters</c>: may do anything.</summary>
    public const string AdminToken = "faas-admin-token";

    /// <summary>User <c>faas-gateway</c> with no group: may do only what the project's RBAC manifests grant it.</summary>
    public const string GatewayToken = "faas-gateway-token";

    public const string GatewayUser = "faas-gateway";

    private const string ControllerManagerToken = "faas-controller-manager-token";

    private readonly TempDirectory _directory = new("faas-kube-");
    private readonly int _etcdPort = FreePort.Next();
    private readonly int _etcdPeerPort = FreePort.Next();
    private readonly int _controllerManagerPort = FreePort.Next();
    private readonly string _assets;
    private ChildProcess? _etcd;
    private ChildProcess? _apiServer;
    private ChildProcess? _controllerManager;

    private KubeControlPlane(string assets)
    {
        _assets = assets;
        Port = FreePort.Next();
    }

    public int Port { get; }

    public string Url => $"https://127.0.0.1:{Port}";

    public string CertificateAuthorityPem { get; private set; } = "";

    /// <summary>The cluster's CA, the serving certificate of 127.0.0.1 and the client certificate the API server shows kubelets.</summary>
    public TestCertificates Certificates { get; private set; } = null!;

    /// <summary>A client with <see cref="AdminToken"/>, for tests to arrange and inspect the cluster.</summary>
    public IKubernetes Admin { get; private set; } = null!;

    public static async Task<KubeControlPlane> StartAsync()
    {
        var assets = KubeAvailability.Assets ?? throw new InvalidOperationException(
            "KUBEBUILDER_ASSETS does not name a directory holding kube-apiserver and kube-controller-manager (make test unpacks them from ../shared/envtest with scripts/envtest.sh)");
        var plane = new KubeControlPlane(assets);
        try
        {
            await plane.StartAllAsync();
            return plane;
        }
        catch
        {
            await plane.DisposeAsync();
            throw;
        }
    }

    /// <summary>A kubeconfig file for <paramref name="token"/> against this server.</summary>
    public string KubeconfigFor(string token) => Kubeconfig($"{{ token: {token} }}");

    /// <summary>A kubeconfig file whose user entry is <paramref name="user"/> (YAML flow mapping), e.g. an <c>exec</c> credential plugin.</summary>
    public string Kubeconfig(string user)
    {
        var path = _directory.Combine($"kubeconfig-{Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(user)))[..16]}");
        File.WriteAllText(path, $$"""
            apiVersion: v1
            kind: Config
            current-context: test
            clusters: [{ name: envtest, cluster: { server: "{{Url}}", certificate-authority: "{{_directory.Combine("ca.crt")}}" } }]
            users: [{ name: user, user: {{user}} }]
            contexts: [{ name: test, context: { cluster: envtest, user: user, namespace: default } }]
            """);
        return path;
    }

    /// <summary>A namespace with a name unique to this run, labelled <c>openfaas=1</c> unless <paramref name="functionNamespace"/> is false.</summary>
    public async Task<string> CreateNamespaceAsync(string prefix, bool functionNamespace = true)
    {
        var name = $"{prefix}-{Guid.NewGuid().ToString("N")[..6]}";
        await Admin.CoreV1.CreateNamespaceAsync(new V1Namespace
        {
            Metadata = new V1ObjectMeta { Name = name, Labels = functionNamespace ? new Dictionary<string, string> { ["openfaas"] = "1" } : null },
        });
        return name;
    }

    /// <summary>Lets the user <see cref="GatewayUser"/> do anything (RBAC itself is tested with the install manifests in the provider's tests).</summary>
    public async Task GrantGatewayAdminAsync()
    {
        try
        {
            await Admin.RbacAuthorizationV1.CreateClusterRoleBindingAsync(new V1ClusterRoleBinding
            {
                Metadata = new V1ObjectMeta { Name = "faas-gateway-test" },
                RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "cluster-admin" },
                Subjects = [new Rbacv1Subject { Kind = "User", Name = GatewayUser, ApiGroup = "rbac.authorization.k8s.io" }],
            });
        }
        catch (k8s.Autorest.HttpOperationException error) when (error.Response.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
        }
    }

    /// <summary>
    /// Lists a process on 127.0.0.1:<paramref name="port"/> as the one ready pod of <paramref name="service"/>, as the
    /// endpoint controller would (there is no kubelet); an FQDN slice, as the server refuses 127.0.0.1 in an IPv4 one.
    /// </summary>
    public Task ListPodAsync(string ns, string service, int port) =>
        Admin.DiscoveryV1.CreateNamespacedEndpointSliceAsync(new V1EndpointSlice
        {
            Metadata = new V1ObjectMeta { Name = service + "-pods", Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = service } },
            AddressType = "FQDN",
            Ports = [new Discoveryv1EndpointPort { Name = "http", Port = port, Protocol = "TCP" }],
            Endpoints = [new V1Endpoint { Addresses = ["127.0.0.1"], Conditions = new V1EndpointConditions { Ready = true }, TargetRef = new V1ObjectReference { Kind = "Pod", Name = service + "-7d9f-abcde" } }],
        }, ns);

    /// <summary>Stops kube-apiserver by its PID (SIGKILL): clients see connection refused until <see cref="StartApiServerAsync"/>.</summary>
    public async Task StopApiServerAsync()
    {
        if (_apiServer is { } server)
        {
            server.Signal(9);
            await server.WaitForExitAsync(TimeSpan.FromSeconds(10));
            await server.DisposeAsync();
            _apiServer = null;
        }
    }

    /// <summary>Freezes kube-apiserver (SIGSTOP): the kernel still accepts connections, nothing answers, as a hung server; <see cref="ResumeApiServer"/> thaws it.</summary>
    public void PauseApiServer() => _apiServer?.Signal(19);

    public void ResumeApiServer() => _apiServer?.Signal(18);

    public async Task StartApiServerAsync()
    {
        _apiServer = ChildProcess.Start(Path.Combine(_assets, "kube-apiserver"), ApiServerArguments());
        await WaitAsync("kube-apiserver", _apiServer, async () =>
        {
            try
            {
                await Admin.CoreV1.ListNamespaceAsync(limit: 1);

                // Ready, not only serving: the administrator is let through before the RBAC authorizer's caches are
                // filled (readyz's informer-sync), and until then the gateway's own identity is refused after a restart.
                var client = (k8s.Kubernetes)Admin;
                using var ready = await client.HttpClient.GetAsync(new Uri(client.BaseUri, "readyz"));
                return ready.IsSuccessStatusCode;
            }
            catch (Exception error) when (error is HttpRequestException or k8s.Autorest.HttpOperationException or IOException)
            {
                return false;
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in new[] { _controllerManager, _apiServer, _etcd })
        {
            if (process is not null)
            {
                await process.DisposeAsync();
            }
        }

        (Admin as IDisposable)?.Dispose();
        _directory.Dispose();
    }

    private string Combine(string name) => _directory.Combine(name);

    private async Task StartAllAsync()
    {
        WriteCredentials();
        Admin = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigFor(AdminToken)));
        _etcd = ChildProcess.Start(KubeAvailability.Etcd,
        [
            "--data-dir", Combine("etcd"), "--name", "default",
            "--listen-client-urls", $"http://127.0.0.1:{_etcdPort}", "--advertise-client-urls", $"http://127.0.0.1:{_etcdPort}",
            "--listen-peer-urls", $"http://127.0.0.1:{_etcdPeerPort}", "--initial-advertise-peer-urls", $"http://127.0.0.1:{_etcdPeerPort}",
            "--initial-cluster", $"default=http://127.0.0.1:{_etcdPeerPort}",
        ]);
        await WaitAsync("etcd", _etcd, () => ConnectsAsync(_etcdPort));
        await StartApiServerAsync();
        _controllerManager = ChildProcess.Start(Path.Combine(_assets, "kube-controller-manager"),
        [
            "--kubeconfig", KubeconfigFor(ControllerManagerToken),
            "--service-account-private-key-file", Combine("sa.key"), "--root-ca-file", Combine("ca.crt"),
            "--use-service-account-credentials=true", "--leader-elect=false",
            "--bind-address", "127.0.0.1", "--secure-port", _controllerManagerPort.ToString(CultureInfo.InvariantCulture),
            "--controllers", "*,-nodeipam,-cloud-node-lifecycle,-service,-route",
        ]);
        await WaitAsync("kube-controller-manager", _controllerManager, () => Task.FromResult(_controllerManager.Output.Contains("Caches are synced for deployment", StringComparison.Ordinal)));
    }

    private string[] ApiServerArguments() =>
    [
        "--etcd-servers", $"http://127.0.0.1:{_etcdPort}",
        "--bind-address", "127.0.0.1", "--advertise-address", "127.0.0.1", "--secure-port", Port.ToString(CultureInfo.InvariantCulture),
        "--endpoint-reconciler-type", "none",
        "--tls-cert-file", Combine("server.crt"), "--tls-private-key-file", Combine("server.key"),
        "--client-ca-file", Combine("ca.crt"), "--token-auth-file", Combine("tokens.csv"),
        "--service-account-key-file", Combine("sa.key"), "--service-account-signing-key-file", Combine("sa.key"),
        "--service-account-issuer", "https://kubernetes.default.svc",
        "--service-cluster-ip-range", "10.0.0.0/24",
        "--authorization-mode", "Node,RBAC",
        "--audit-policy-file", Combine("audit-policy.yaml"), "--audit-log-path", AuditLogPath,
        "--kubelet-certificate-authority", Combine("ca.crt"),
        "--kubelet-client-certificate", Combine("kubelet-client.crt"), "--kubelet-client-key", Combine("kubelet-client.key"),
    ];

    /// <summary>One JSON line per request of user <see cref="GatewayUser"/> as it arrives (a watch counts when it opens), for counting the gateway's requests.</summary>
    public string AuditLogPath => Combine("audit.log");

    private void WriteCredentials()
    {
        var certificates = Certificates = TestCertificates.Create("faas-envtest-ca");
        CertificateAuthorityPem = certificates.AuthorityPem;
        File.WriteAllText(Combine("kubelet-client.crt"), certificates.ClientCertificatePem);
        File.WriteAllText(Combine("kubelet-client.key"), certificates.ClientKeyPem);
        File.WriteAllText(Combine("ca.crt"), certificates.AuthorityPem);
        File.WriteAllText(Combine("server.crt"), certificates.Server.ExportCertificatePem());
        File.WriteAllText(Combine("server.key"), certificates.Server.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        using var serviceAccountKey = RSA.Create(2048);
        File.WriteAllText(Combine("sa.key"), serviceAccountKey.ExportRSAPrivateKeyPem());
        File.WriteAllText(Combine("tokens.csv"), $"""
            {AdminToken},faas-admin,1,"system:masters"
            {GatewayToken},{GatewayUser},2
            {ControllerManagerToken},system:kube-controller-manager,3

            """);
        File.WriteAllText(Combine("audit-policy.yaml"), """
            apiVersion: audit.k8s.io/v1
            kind: Policy
            omitStages: ["ResponseStarted", "ResponseComplete", "Panic"]
            rules:
              - level: Metadata
                users: ["faas-gateway"]
              - level: None

            """);
    }

    private static async Task<bool> ConnectsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task WaitAsync(string name, ChildProcess process, Func<Task<bool>> ready)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{name} exited ({process.ExitCode}): {Tail(process.Output)}");
            }

            if (await ready())
            {
                return;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{name} did not become ready in 90 s: {Tail(process.Output)}");
    }

    private static string Tail(string output) => output.Length > 3000 ? output[^3000..] : output;
}
