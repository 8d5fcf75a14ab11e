namespace Faas.Gateway.Security;

/// <summary>
/// Compares what a caller gave with a secret in time that depends on the given value's length only: neither the
/// secret's bytes nor its length show. (<see cref="System.Security.Cryptography.CryptographicOperations.FixedTimeEquals"/>
/// needs equal lengths; hashing both first would load OpenSSL into a gateway that has no other use for it.)
/// </summary>
internal static class SecretComparison
{
    public static bool FixedTimeEquals(ReadOnlySpan<byte> given, ReadOnlySpan<byte> secret)
    {
        if (secret.IsEmpty)
        {
            return given.IsEmpty;
        }

        var difference = given.Length ^ secret.Length;
        var position = 0;
        for (var i = 0; i < given.Length; i++)
        {
            difference |= given[i] ^ secret[position];

            // Past the secret's end the comparison wraps around it, without a branch: (position - length) >> 31 is all
            // ones while position is inside the secret and 0 at its end.
            position++;
            position &= (position - secret.Length) >> 31;
        }

        return difference == 0;
    }
}
