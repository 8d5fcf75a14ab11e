using System.CommandLine;
using System.Reflection;
using Faas.Cli.Gateway;

namespace Faas.Cli.Commands;

/// <summary><c>faas login</c> (saved with mode 0600) and <c>faas version</c> (client and gateway).</summary>
internal static class AccountCommands
{
    public static string ClientVersion => Faas.Conventions.BuildVersion.Of(typeof(AccountCommands).Assembly).ToString();

    public static Command CreateLogin()
    {
        var user = new Option<string>("--username", "-u") { Description = "The admin user", DefaultValueFactory = _ => "admin" };
        var password = new Option<string?>("--password", "-p") { Description = "The password (prefer --password-stdin: arguments are visible to other users)" };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from stdin" };
        var command = new Command("login", "Save the gateway's admin credentials for later commands") { user, password, passwordStdin };
        command.SetAction(async (result, cancellationToken) =>
        {
            var secret = result.GetValue(passwordStdin)
                ? (await Console.In.ReadToEndAsync(cancellationToken)).Trim()
                : result.GetValue(password) ?? throw CliException.BadInput("give the password with --password-stdin (or --password)");
            if (secret.Length == 0)
            {
                throw CliException.BadInput("the password is empty");
            }

            var gateway = GatewayResolver.Resolve(result.GetValue(CliOptions.Gateway), CliOptions.OptionalStack(result));
            using (var client = new GatewayClient(gateway, (result.GetValue(user)!, secret)))
            {
                await client.ListAsync(null, cancellationToken);
            }

            Credentials.Save(gateway, result.GetValue(user)!, secret);
            Console.WriteLine($"Credentials for {gateway} saved in {Credentials.FilePath}");
            return 0;
        });
        return command;
    }

    public static Command CreateVersion()
    {
        var command = new Command("version", "Show the client's and the gateway's versions");
        command.SetAction(async (result, cancellationToken) =>
        {
            Console.WriteLine($"faas CLI: {ClientVersion}");
            using var client = CliOptions.Client(result);
            try
            {
                var info = await client.InfoAsync(cancellationToken);
                var provider = info.GetProperty("provider");
                var version = info.GetProperty("version");
                var sha = version.TryGetProperty("sha", out var commit) ? commit.GetString() : null;
                Console.WriteLine($"Gateway {client.Url}: {version.GetProperty("release").GetString()}{(sha is { Length: > 0 } ? $" (commit {sha})" : "")}, provider {provider.GetProperty("provider").GetString()} ({provider.GetProperty("orchestration").GetString()})");
            }
            catch (CliException error)
            {
                Console.WriteLine($"Gateway: unknown ({error.Message})");
            }

            return 0;
        });
        return command;
    }
}
