namespace Faas.Harness.Kubernetes;

/// <summary>
/// Whether tests against a real API server can run here: kube-apiserver and kube-controller-manager in the directory
/// <c>KUBEBUILDER_ASSETS</c> names (envtest's convention; <c>make test</c> unpacks them from <c>../shared/envtest</c>) and
/// Debian's etcd. Where they are missing the tests are skipped with that one line, except in CI (<c>CI=true</c>), where
/// they always run (and fail if the control plane cannot start).
/// </summary>
public static class KubeAvailability
{
    private static readonly Lazy<string?> Reason = new(Check);

    /// <summary>Null when the tests run; else why not.</summary>
    public static string? SkipReason => Reason.Value;

    public static string? Assets => Environment.GetEnvironmentVariable("KUBEBUILDER_ASSETS") is { Length: > 0 } dir && File.Exists(Path.Combine(dir, "kube-apiserver")) ? dir : null;

    public static string Etcd => File.Exists("/usr/bin/etcd") ? "/usr/bin/etcd" : "etcd";

    private static string? Check()
    {
        if (Environment.GetEnvironmentVariable("CI") is "true" or "1")
        {
            return null;
        }

        var missing = new List<string>();
        if (Assets is null)
        {
            missing.Add("KUBEBUILDER_ASSETS does not name a directory holding kube-apiserver (make test sets it from ../shared/envtest)");
        }

        if (!File.Exists("/usr/bin/etcd"))
        {
            missing.Add("etcd is not installed (apt-get install etcd-server)");
        }

        return missing.Count == 0 ? null : "no real Kubernetes API server here: " + string.Join("; ", missing);
    }
}
