using System.Text.RegularExpressions;
using Faas.Provider.Wire;

namespace Faas.Provider.Kubernetes;

/// <summary>
/// What the API server would refuse of a function that the shared rules let through, checked before anything is made:
/// a Service name is a DNS-1035 label (it starts with a letter), a container image has no white space, and the names
/// derived from the function's (its secrets volume) stay within 63 characters.
/// </summary>
internal static partial class KubernetesNames
{
    private const string SecretsVolumeSuffix = "-projected-secrets";

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1035Label();

    public static string? Check(FunctionDeployment function)
    {
        if (!Dns1035Label().IsMatch(function.Service))
        {
            return $"function name \"{function.Service}\" cannot name a Kubernetes Service: it must start with a letter and consist of lower-case letters, digits and '-'";
        }

        if (function.Image.Any(char.IsWhiteSpace))
        {
            return $"image \"{function.Image}\" contains white space";
        }

        if (function.Secrets is { Count: > 0 } && function.Service.Length + SecretsVolumeSuffix.Length > 63)
        {
            return $"function name \"{function.Service}\" is too long for a function with secrets on Kubernetes: at most {63 - SecretsVolumeSuffix.Length} characters (its volume \"{function.Service}{SecretsVolumeSuffix}\" must fit in 63)";
        }

        return null;
    }
}
