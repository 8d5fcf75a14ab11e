using System.Text;

namespace Faas.Watchdog.Config;

/// <summary>
/// Splits <c>fprocess</c> into program and arguments. Like of-watchdog it splits on spaces, and it also
/// honours single and double quotes so an argument may contain a space (of-watchdog cannot express that).
/// </summary>
public static class CommandLine
{
    public static bool TrySplit(string text, out IReadOnlyList<string> arguments)
    {
        var result = new List<string>();
        var current = new StringBuilder();
        var inArgument = false;
        char? quote = null;
        foreach (var c in text)
        {
            if (quote is not null)
            {
                if (c == quote)
                {
                    quote = null;
                }
                else
                {
                    current.Append(c);
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
                inArgument = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inArgument)
                {
                    result.Add(current.ToString());
                    current.Clear();
                    inArgument = false;
                }
            }
            else
            {
                current.Append(c);
                inArgument = true;
            }
        }

        if (inArgument)
        {
            result.Add(current.ToString());
        }

        arguments = result;
        return quote is null;
    }
}
