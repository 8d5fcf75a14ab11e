using System.Text.Json;
using System.Text.Json.Serialization;

namespace Faas.Cli.Gateway;

/// <summary>
/// Saved logins, one per gateway URL, in <c>$FAAS_CONFIG_DIR/credentials.json</c> (default <c>~/.faas</c>), written
/// with mode 0600. Without a saved login, <c>FAAS_ADMIN_USER</c>/<c>FAAS_ADMIN_PASSWORD</c> are used if set.
/// </summary>
internal static class Credentials
{
    public static string Directory =>
        Environment.GetEnvironmentVariable("FAAS_CONFIG_DIR") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".faas");

    public static string FilePath => Path.Combine(Directory, "credentials.json");

    public static (string User, string Password)? For(string gateway)
    {
        if (File.Exists(FilePath) &&
            JsonSerializer.Deserialize(File.ReadAllText(FilePath), CliJson.Default.DictionaryStringSavedLogin) is { } saved &&
            saved.TryGetValue(Normalize(gateway), out var login))
        {
            return (login.User, login.Password);
        }

        return Environment.GetEnvironmentVariable("FAAS_ADMIN_PASSWORD") is { Length: > 0 } password
            ? (Environment.GetEnvironmentVariable("FAAS_ADMIN_USER") is { Length: > 0 } user ? user : "admin", password)
            : null;
    }

    public static void Save(string gateway, string user, string password)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var saved = File.Exists(FilePath)
            ? JsonSerializer.Deserialize(File.ReadAllText(FilePath), CliJson.Default.DictionaryStringSavedLogin) ?? []
            : new Dictionary<string, SavedLogin>();
        saved[Normalize(gateway)] = new SavedLogin { User = user, Password = password };
        var temporary = FilePath + ".tmp";
        File.WriteAllText(temporary, "");
        File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(temporary, JsonSerializer.Serialize(saved, CliJson.Default.DictionaryStringSavedLogin));
        File.Move(temporary, FilePath, overwrite: true);
    }

    private static string Normalize(string gateway) => gateway.TrimEnd('/');
}

internal sealed class SavedLogin
{
    [JsonPropertyName("user")]
    public string User { get; set; } = "";

    [JsonPropertyName("password")]
    public string Password { get; set; } = "";
}
