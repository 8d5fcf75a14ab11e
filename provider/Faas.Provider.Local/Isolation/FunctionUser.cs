using System.Globalization;

namespace Faas.Provider.Local.Isolation;

/// <summary>The unprivileged user and group replicas run as when the gateway runs as root (<c>UID:GID</c>, default <c>65534:65534</c>, nobody).</summary>
internal sealed record FunctionUser(int Uid, int Gid)
{
    public static FunctionUser Nobody { get; } = new(65534, 65534);

    /// <summary>Reads <c>UID</c> or <c>UID:GID</c>; neither may be 0.</summary>
    public static FunctionUser Parse(string value)
    {
        var parts = value.Split(':');
        if (parts.Length is 1 or 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var uid) && uid > 0)
        {
            var gid = uid;
            if (parts.Length == 1 || (int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out gid) && gid > 0))
            {
                return new FunctionUser(uid, gid);
            }
        }

        throw new ArgumentException($"the function user \"{value}\" is not UID or UID:GID with numbers above 0");
    }

    public override string ToString() => $"{Uid}:{Gid}";
}
