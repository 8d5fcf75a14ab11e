/// <summary>Function secrets: one file per secret in the directory the platform mounts or materializes.</summary>
public static class Secrets
{
    public static string Directory =>
        Environment.GetEnvironmentVariable("FAAS_SECRETS_DIR") is { Length: > 0 } local ? local : "/var/openfaas/secrets";

    public static string Read(string name) => File.ReadAllText(Path.Combine(Directory, name)).Trim();
}
