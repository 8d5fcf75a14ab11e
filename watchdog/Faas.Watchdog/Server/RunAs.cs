using System.Globalization;
using Faas.Watchdog.Config;

namespace Faas.Watchdog.Server;

/// <summary>
/// <c>FAAS_RUN_AS=UID:GID</c> (the local backend sets it when it runs as root): the watchdog leaves root first thing,
/// before it reads its function's variables, and so does every function it starts. It replaces setpriv(1) in front
/// of the watchdog, an exec that cost 4 ms of every cold start. The sandbox (bubblewrap) has already set
/// no_new_privs, so nothing the function runs can gain privileges back.
/// </summary>
internal static class RunAs
{
    public const string Variable = "FAAS_RUN_AS";

    /// <exception cref="ConfigException">The value is not <c>UID:GID</c>, or root could not be left for good.</exception>
    public static void Apply(IReadOnlyDictionary<string, string> environment)
    {
        if (!environment.TryGetValue(Variable, out var value))
        {
            return;
        }

        if (value.Split(':') is not [var user, var group]
            || !int.TryParse(user, NumberStyles.None, CultureInfo.InvariantCulture, out var uid) || uid == 0
            || !int.TryParse(group, NumberStyles.None, CultureInfo.InvariantCulture, out var gid) || gid == 0)
        {
            throw new ConfigException(Variable, value, "UID:GID, both numbers above 0");
        }

        try
        {
            Faas.Posix.ProcessUser.SwitchTo(uid, gid);
        }
        catch (InvalidOperationException error)
        {
            throw new ConfigException(Variable, value, $"a user this watchdog can become ({error.Message})");
        }
    }
}
