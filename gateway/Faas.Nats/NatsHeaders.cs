using System.Globalization;
using System.Text;

namespace Faas.Nats;

/// <summary>
/// NATS message headers: the <c>NATS/1.0</c> block of HPUB/HMSG (HTTP-like <c>Name: value</c> lines, names
/// case-preserved, looked up case-insensitively, repeatable), and the optional status on its first line.
/// </summary>
public sealed class NatsHeaders
{
    private readonly List<KeyValuePair<string, string>> _entries = [];

    /// <summary>The status on the first line (503 no responders, 404 no messages, 408 request timeout...), or null.</summary>
    public int? Status { get; private set; }

    public string? StatusDescription { get; private set; }

    public IReadOnlyList<KeyValuePair<string, string>> Entries => _entries;

    public int Count => _entries.Count;

    public string? this[string name]
    {
        get => _entries.FirstOrDefault(e => e.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
        set
        {
            _entries.RemoveAll(e => e.Key.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (value is not null)
            {
                Add(name, value);
            }
        }
    }

    public NatsHeaders Add(string name, string value)
    {
        if (name.Length == 0 || name.Any(c => c is ':' or '\r' or '\n' or ' ') || value.Any(c => c is '\r' or '\n'))
        {
            throw new ArgumentException($"invalid NATS header {name}: {value}");
        }

        _entries.Add(new(name, value));
        return this;
    }

    public byte[] ToBytes()
    {
        var text = new StringBuilder("NATS/1.0\r\n");
        foreach (var (name, value) in _entries)
        {
            text.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        return Encoding.UTF8.GetBytes(text.Append("\r\n").ToString());
    }

    public static NatsHeaders Parse(ReadOnlySpan<byte> block)
    {
        var headers = new NatsHeaders();
        var lines = Encoding.UTF8.GetString(block).Split("\r\n");
        var first = lines[0];
        if (!first.StartsWith("NATS/1.0", StringComparison.Ordinal))
        {
            throw new NatsException($"malformed headers: {first}");
        }

        var status = first["NATS/1.0".Length..].Trim();
        if (status.Length > 0)
        {
            var space = status.IndexOf(' ', StringComparison.Ordinal);
            headers.Status = int.Parse(space < 0 ? status : status[..space], NumberStyles.None, CultureInfo.InvariantCulture);
            headers.StatusDescription = space < 0 ? null : status[(space + 1)..];
        }

        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers._entries.Add(new(line[..colon], line[(colon + 1)..].Trim()));
            }
        }

        return headers;
    }
}
