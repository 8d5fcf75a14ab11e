using Docker.DotNet;
using Docker.DotNet.Models;

namespace Faas.Docker;

/// <summary>Where the Docker Engine listens (a unix socket) and a client for it.</summary>
public static class DockerEndpoint
{
    public const string DefaultSocket = "/var/run/docker.sock";

    /// <summary>The oldest Engine API this project is tested against (Docker 20.10, as in Debian 12).</summary>
    public static readonly System.Version MinApiVersion = new(1, 41);

    /// <summary>The socket <c>DOCKER_HOST</c> names when it is a <c>unix://</c> address, else the default.</summary>
    public static string SocketFromEnvironment() =>
        Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } host && host.StartsWith("unix://", StringComparison.Ordinal)
            ? host["unix://".Length..]
            : DefaultSocket;

    /// <summary>
    /// A client for the Engine on <paramref name="socketPath"/>. Nothing is sent until the first call; the API version
    /// is left to the Engine (unversioned paths), so a newer Engine is not held to an old client's version.
    /// </summary>
    public static IDockerClient Client(string socketPath) =>
        new DockerClientBuilder().WithEndpoint(new Uri("unix://" + socketPath)).Build();

    /// <summary>
    /// Asks the Engine its version: a <see cref="DockerUnavailableException"/> if none answers on the socket or it speaks
    /// an API older than <see cref="MinApiVersion"/>.
    /// </summary>
    public static async Task<string> VerifyAsync(IDockerClient client, string socketPath, CancellationToken cancellationToken)
    {
        VersionResponse version;
        try
        {
            version = await client.System.GetVersionAsync(cancellationToken);
        }
        catch (Exception error) when (error is HttpRequestException or IOException or TimeoutException or DockerApiException)
        {
            throw new DockerUnavailableException($"no Docker Engine answers on {socketPath}: {EngineErrors.Reason(error)}", error);
        }

        if (System.Version.TryParse(version.APIVersion, out var api) && api < MinApiVersion)
        {
            throw new DockerUnavailableException($"the Docker Engine on {socketPath} speaks API {api}, older than the {MinApiVersion} this project needs", null);
        }

        return version.Version;
    }
}
