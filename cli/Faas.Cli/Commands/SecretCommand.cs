using System.CommandLine;
using Faas.Provider.Wire;

namespace Faas.Cli.Commands;

/// <summary><c>faas secret create|update|list|remove</c>: the value from <c>--from-literal</c>, <c>--from-file</c> or stdin.</summary>
internal static class SecretCommand
{
    public static Command Create()
    {
        var secret = new Command("secret", "Manage secrets");
        secret.Add(Save("create", "Create a secret", update: false));
        secret.Add(Save("update", "Replace a secret's value", update: true));

        var list = new Command("list", "List secrets (names only)");
        list.Aliases.Add("ls");
        list.SetAction(async (result, cancellationToken) =>
        {
            using var client = CliOptions.Client(result);
            foreach (var item in (await client.ListSecretsAsync(CliOptions.NamespaceOf(result), cancellationToken)).OrderBy(s => s.Name, StringComparer.Ordinal))
            {
                Console.WriteLine(item.Name);
            }

            return 0;
        });
        secret.Add(list);

        var removeName = new Argument<string>("name");
        var remove = new Command("remove", "Remove a secret") { removeName };
        remove.Aliases.Add("rm");
        remove.SetAction(async (result, cancellationToken) =>
        {
            using var client = CliOptions.Client(result);
            await client.RemoveSecretAsync(result.GetValue(removeName)!, CliOptions.NamespaceOf(result), cancellationToken);
            Console.WriteLine($"Removed secret {result.GetValue(removeName)}");
            return 0;
        });
        secret.Add(remove);
        return secret;
    }

    private static Command Save(string verb, string description, bool update)
    {
        var name = new Argument<string>("name");
        var literal = new Option<string?>("--from-literal") { Description = "The value" };
        var file = new Option<string?>("--from-file") { Description = "A file holding the value" };
        var allowEmpty = new Option<bool>("--allow-empty") { Description = "Accept an empty value from stdin or a file" };
        var command = new Command(verb, description) { name, literal, file, allowEmpty };
        command.SetAction(async (result, cancellationToken) =>
        {
            var value = await ValueAsync(result.GetValue(literal), result.GetValue(file), cancellationToken);
            if (value.Length == 0 && result.GetValue(literal) is null && !result.GetValue(allowEmpty))
            {
                // Piping from a command that failed gives an empty stdin; storing that would hide the failure.
                throw CliException.BadInput($"the value for secret {result.GetValue(name)} is empty: pass --allow-empty if that is what you mean");
            }

            using var client = CliOptions.Client(result);
            var secret = new Secret { Name = result.GetValue(name)!, Namespace = CliOptions.NamespaceOf(result), RawValue = value };
            await client.SaveSecretAsync(secret, update, cancellationToken);
            Console.WriteLine($"{(update ? "Updated" : "Created")} secret {secret.Name}");
            return 0;
        });
        return command;
    }

    private static async Task<byte[]> ValueAsync(string? literal, string? file, CancellationToken cancellationToken)
    {
        if (literal is not null && file is not null)
        {
            throw CliException.BadInput("give the value with either --from-literal or --from-file, not both");
        }

        if (literal is not null)
        {
            return System.Text.Encoding.UTF8.GetBytes(literal);
        }

        if (file is not null)
        {
            return File.Exists(file) ? await File.ReadAllBytesAsync(file, cancellationToken) : throw CliException.BadInput($"--from-file: {file} does not exist");
        }

        if (!Console.IsInputRedirected)
        {
            throw CliException.BadInput("no value: use --from-literal, --from-file, or pipe it to stdin");
        }

        using var buffer = new MemoryStream();
        await Console.OpenStandardInput().CopyToAsync(buffer, cancellationToken);
        return buffer.ToArray();
    }
}
