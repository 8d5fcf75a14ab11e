using System.Text;

namespace Faas.Gateway.Security;

/// <summary>
/// The admin user and password for <c>/system</c>: from <c>FAAS_ADMIN_USER</c>/<c>FAAS_ADMIN_PASSWORD</c>, else from
/// files in the secrets directory (<c>basic_auth_user</c>/<c>basic_auth_password</c>, or OpenFaaS' <c>basic-auth-user</c>/
/// <c>basic-auth-password</c>), else generated on first run and stored with mode 0600 under the state directory.
/// </summary>
internal sealed class AdminCredentials
{
    public const string DefaultUser = "admin";

    private readonly byte[] _user;
    private readonly byte[] _password;

    private AdminCredentials(string user, string password, string source)
    {
        _user = Encoding.UTF8.GetBytes(user);
        _password = Encoding.UTF8.GetBytes(password);
        User = user;
        Source = source;
    }

    public string User { get; }

    /// <summary>Where the password came from, for the start-up message (never the password itself).</summary>
    public string Source { get; }

    public static AdminCredentials Load(string? secretsDirectory, string stateDirectory)
    {
        var user = Environment.GetEnvironmentVariable("FAAS_ADMIN_USER");
        var password = Environment.GetEnvironmentVariable("FAAS_ADMIN_PASSWORD");
        if (!string.IsNullOrEmpty(password))
        {
            return new AdminCredentials(string.IsNullOrEmpty(user) ? DefaultUser : user, password, "FAAS_ADMIN_PASSWORD");
        }

        if (secretsDirectory is not null)
        {
            foreach (var (userFile, passwordFile) in new[] { ("basic_auth_user", "basic_auth_password"), ("basic-auth-user", "basic-auth-password") })
            {
                var passwordPath = Path.Combine(secretsDirectory, passwordFile);
                if (File.Exists(passwordPath))
                {
                    var userPath = Path.Combine(secretsDirectory, userFile);
                    return new AdminCredentials(File.Exists(userPath) ? File.ReadAllText(userPath).Trim() : DefaultUser, File.ReadAllText(passwordPath).Trim(), passwordPath);
                }
            }
        }

        var generated = Path.Combine(stateDirectory, "admin-password");
        if (!File.Exists(generated))
        {
            Faas.Posix.PrivateFiles.WriteAtomically(generated, Encoding.UTF8.GetBytes(Convert.ToHexStringLower(Faas.Posix.KernelRandom.GetBytes(16))));
        }

        return new AdminCredentials(DefaultUser, File.ReadAllText(generated).Trim(), generated);
    }

    /// <summary>Checks a Basic Authorization header in constant time (per field), so timing reveals nothing of the password, not even its length.</summary>
    public bool Accepts(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        byte[] decoded;
        try
        {
            decoded = Convert.FromBase64String(authorization[6..].Trim());
        }
        catch (FormatException)
        {
            return false;
        }

        var colon = Array.IndexOf(decoded, (byte)':');
        return colon >= 0 && Matches(decoded.AsSpan(0, colon), decoded.AsSpan(colon + 1));
    }

    /// <summary>Checks a user and password given apart (the dashboard's sign-in), in constant time as well.</summary>
    public bool Accepts(string user, string password) => Matches(Encoding.UTF8.GetBytes(user), Encoding.UTF8.GetBytes(password));

    private bool Matches(ReadOnlySpan<byte> user, ReadOnlySpan<byte> password)
    {
        var userMatches = SecretComparison.FixedTimeEquals(user, _user);
        var passwordMatches = SecretComparison.FixedTimeEquals(password, _password);
        return userMatches & passwordMatches;
    }
}
