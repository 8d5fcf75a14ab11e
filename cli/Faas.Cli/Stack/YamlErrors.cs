using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Faas.Cli.Stack;

/// <summary>
/// Turns YamlDotNet's failures into what a user of the file understands: the field's path (<c>functions.fn.labels</c>),
/// what the field must be and what it is, never .NET type names.
/// </summary>
internal static class YamlErrors
{
    /// <summary>One line: <c>FIELD: expected WHAT, got WHAT</c>, or the parser's own words for a syntax error.</summary>
    public static string Describe(string text, YamlException error, string message)
    {
        var (path, node) = FieldAt(text, error.Start);
        var expected = Expected(error, message);
        return (path, expected) switch
        {
            (_, null) => message,
            (null, _) => $"expected {expected}",
            _ => $"{path}: expected {expected}, got {Kind(node)}",
        };
    }

    private static string? Expected(YamlException error, string message)
    {
        for (Exception? cause = error; cause is not null; cause = cause.InnerException)
        {
            var text = cause == error ? message : cause.Message;
            if (text.Contains("Expected 'MappingStart'", StringComparison.Ordinal) || text.Contains("System.Collections.Generic.Dictionary", StringComparison.Ordinal))
            {
                return "a mapping of names to values";
            }

            if (text.Contains("Expected 'SequenceStart'", StringComparison.Ordinal) || text.Contains("System.Collections.Generic.List", StringComparison.Ordinal))
            {
                return "a list";
            }

            if (text.Contains("into type System.String", StringComparison.Ordinal))
            {
                return "a single value";
            }

            if (text.Contains("Boolean", StringComparison.Ordinal))
            {
                return "true or false";
            }

            if (text.Contains("Int32", StringComparison.Ordinal) || text.Contains("Int64", StringComparison.Ordinal))
            {
                return "a whole number";
            }
        }

        return null;
    }

    /// <summary>The dotted path of the innermost field whose value contains <paramref name="position"/>, and that value.</summary>
    private static (string? Path, YamlNode? Node) FieldAt(string text, Mark position)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException)
        {
            return (null, null);
        }

        if (stream.Documents.Count == 0)
        {
            return (null, null);
        }

        string? found = null;
        YamlNode? node = null;
        void Visit(YamlNode current, string prefix)
        {
            if (current is not YamlMappingNode mapping)
            {
                return;
            }

            foreach (var (key, value) in mapping.Children)
            {
                if (Contains(value, position) || Contains(key, position))
                {
                    var name = prefix.Length == 0 ? key.ToString() : $"{prefix}.{key}";
                    (found, node) = (name, value);
                    Visit(value, name);
                }
            }
        }

        Visit(stream.Documents[0].RootNode, "");
        return (found, node);
    }

    private static bool Contains(YamlNode node, Mark position) =>
        Before(node.Start, position) && (Before(position, node.End) || node.End.Index == node.Start.Index);

    private static bool Before(Mark a, Mark b) => a.Line < b.Line || (a.Line == b.Line && a.Column <= b.Column);

    private static string Kind(YamlNode? node) => node switch
    {
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        YamlScalarNode scalar => $"\"{scalar.Value}\"",
        _ => "nothing",
    };
}
