using System.Buffers;

namespace Faas.Proxy.Http1;

/// <summary>The bytes HTTP allows in a header field (RFC 9110, 5.1 and 5.5), for the parsers that read fields off the wire.</summary>
public static class FieldSyntax
{
    /// <summary>The characters of a token, which a field name is.</summary>
    public static SearchValues<byte> Token { get; } = SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    /// <summary>Control characters other than horizontal tab, which no field value may hold.</summary>
    public static SearchValues<byte> Control { get; } = SearchValues.Create([.. Enumerable.Range(0, 0x20).Where(b => b != '\t').Select(b => (byte)b), 0x7f]);
}
