using Faas.Provider.Scaling;
using Faas.Provider.Timeouts;
using Faas.Provider.Triggers;
using Faas.Provider.Wire;

namespace Faas.Provider.Validation;

/// <summary>Checks a deployment before any backend touches anything, so nothing is deployed half-way.</summary>
public static class DeploymentValidator
{
    /// <summary>The deployment with its namespace filled in; throws <see cref="ProviderException"/> (Invalid) naming the first bad field.</summary>
    public static FunctionDeployment Validate(FunctionDeployment deployment)
    {
        var problem = NameRules.CheckLabel("service", deployment.Service)
            ?? (string.IsNullOrWhiteSpace(deployment.Image) ? "image is required" : null)
            ?? CheckNamespace(deployment.Namespace)
            ?? deployment.EnvVars?.Keys.Select(name => NameRules.CheckEnvironmentVariable("envVars", name)).FirstOrDefault(p => p is not null)
            ?? deployment.Labels?.Keys.Select(key => NameRules.CheckKey("labels", key)).FirstOrDefault(p => p is not null)
            ?? deployment.Annotations?.Keys.Select(key => NameRules.CheckKey("annotations", key)).FirstOrDefault(p => p is not null)
            ?? deployment.Secrets?.Select(secret => NameRules.CheckLabel("secrets", secret)).FirstOrDefault(p => p is not null)
            ?? ScalingLabels.Check(deployment.Labels)
            ?? FunctionTimeout.Check(deployment.Labels, deployment.Annotations)
            ?? TriggerAnnotations.Check(deployment.Annotations)
            ?? ScalingPolicy.Check(deployment.Labels)
            ?? ResourceQuantity.Check("limits", deployment.Limits)
            ?? ResourceQuantity.Check("requests", deployment.Requests);
        if (problem is not null)
        {
            throw ProviderException.Invalid(problem);
        }

        return deployment with { Namespace = string.IsNullOrEmpty(deployment.Namespace) ? NameRules.DefaultNamespace : deployment.Namespace };
    }

    public static string NamespaceOrDefault(string? @namespace)
    {
        var problem = CheckNamespace(@namespace);
        return problem is null
            ? string.IsNullOrEmpty(@namespace) ? NameRules.DefaultNamespace : @namespace
            : throw ProviderException.Invalid(problem);
    }

    private static string? CheckNamespace(string? @namespace) =>
        string.IsNullOrEmpty(@namespace) ? null : NameRules.CheckLabel("namespace", @namespace);
}
