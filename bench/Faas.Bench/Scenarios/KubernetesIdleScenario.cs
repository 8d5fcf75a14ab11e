using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Faas.Bench.Tools;
using Faas.Harness;
using Faas.Harness.Kubernetes;
using k8s;
using k8s.Models;

namespace Faas.Bench.Scenarios;

/// <summary>
/// <c>kubernetes-idle</c>: the API requests an idle gateway makes, counted from a real kube-apiserver's audit log.
/// Two function namespaces hold 10 functions; the gateway (user <c>faas-gateway</c>) runs untouched for
/// <c>BENCH_K8S_IDLE_MINUTES</c> (default 3) after a 20 s settling time. With <c>BENCH_BASELINE_OUT</c> (an earlier
/// build's published gateway) the earlier build is measured first, against the same cluster and functions.
/// </summary>
internal static class KubernetesIdleScenario
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(20);

    public static async Task RunAsync(BenchReport report, BenchSettings settings)
    {
        var minutes = double.Parse(Environment.GetEnvironmentVariable("BENCH_K8S_IDLE_MINUTES") ?? "3", CultureInfo.InvariantCulture);
        await using var cluster = await KubeControlPlane.StartAsync();
        await cluster.Admin.RbacAuthorizationV1.CreateClusterRoleBindingAsync(new V1ClusterRoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "faas-gateway-bench" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "cluster-admin" },
            Subjects = [new Rbacv1Subject { Kind = "User", Name = KubeControlPlane.GatewayUser, ApiGroup = "rbac.authorization.k8s.io" }],
        });
        string[] namespaces = [await cluster.CreateNamespaceAsync("bench-a"), await cluster.CreateNamespaceAsync("bench-b")];
        var gatewaySettings = new Dictionary<string, string>
        {
            ["Gateway__Provider"] = "kubernetes",
            ["Gateway__Kubernetes__Kubeconfig"] = cluster.KubeconfigFor(KubeControlPlane.GatewayToken),
        };

        var builds = new List<(string Label, string? Binary)>();
        if (Environment.GetEnvironmentVariable("BENCH_BASELINE_OUT") is { } baseline)
        {
            builds.Add(("before: " + (Environment.GetEnvironmentVariable("BENCH_BASELINE_LABEL") ?? baseline), Path.Combine(baseline, "gateway")));
        }

        builds.Add(("this build", null));
        var deployed = false;
        foreach (var (label, binary) in builds)
        {
            await using var gateway = await GatewayTarget.StartGatewayAsync(gatewaySettings, binary);
            if (!deployed)
            {
                await DeployAsync(gateway.Url, namespaces);
                deployed = true;
            }

            await Task.Delay(Settle);
            var before = File.ReadAllLines(cluster.AuditLogPath).Length;
            await Task.Delay(TimeSpan.FromMinutes(minutes));
            var requests = File.ReadAllLines(cluster.AuditLogPath).Skip(before).Select(Describe).ToList();
            var perMinute = requests.Count / minutes;
            var breakdown = string.Join(", ", requests.GroupBy(r => r).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count() / minutes:0.#}"));
            Console.WriteLine($"  {label}: {perMinute:0.0} requests/min ({breakdown})");
            report.AddRow(new()
            {
                ["gateway"] = label,
                ["requests/min"] = perMinute,
                ["by verb and resource, per minute"] = breakdown,
            });
            if (binary is null)
            {
                report.AddGoal("an idle gateway with 2 function namespaces and 10 functions makes under 10 API requests a minute", perMinute < 10, $"{perMinute:0.0}/min");
            }
        }

        report.AddCommand($"[BENCH_BASELINE_OUT=DIR] BENCH_K8S_IDLE_MINUTES={minutes} dotnet run --project bench/Faas.Bench -c Release -- kubernetes-idle " +
            "(real etcd + kube-apiserver + kube-controller-manager from KUBEBUILDER_ASSETS; requests of user faas-gateway from the audit log as they arrive)");
    }

    private static async Task DeployAsync(string url, string[] namespaces)
    {
        using var admin = GatewayTarget.AdminClient();
        for (var i = 0; i < 10; i++)
        {
            var json = $$"""{"service":"idle-{{i}}","namespace":"{{namespaces[i % 2]}}","image":"example/idle:1","envProcess":"cat"}""";
            using var response = await admin.PostAsync(url + "/system/functions", new StringContent(json, Encoding.UTF8, "application/json"));
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                throw new InvalidOperationException($"deploying idle-{i} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
        }
    }

    /// <summary>"verb resource" of one audit event, e.g. "watch deployments".</summary>
    private static string Describe(string line)
    {
        using var audit = JsonDocument.Parse(line);
        var root = audit.RootElement;
        var resource = root.TryGetProperty("objectRef", out var target) && target.TryGetProperty("resource", out var name) ? name.GetString() : "(none)";
        return $"{root.GetProperty("verb").GetString()} {resource}";
    }
}
