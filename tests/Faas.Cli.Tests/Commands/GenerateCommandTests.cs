using YamlDotNet.RepresentationModel;

namespace Faas.Cli.Tests.Commands;

public sealed class GenerateCommandTests
{
    [Fact]
    public async Task Generate_writes_the_deployment_and_service_the_kubernetes_backend_would_create()
    {
        using var directory = new TempDirectory("faas-generate-");
        await File.WriteAllTextAsync(directory.Combine("stack.yml"), """
            version: 1.0
            provider:
              name: openfaas
            functions:
              web:
                image: registry.example/web:3
                fprocess: node index.js
                skip_build: true
                labels:
                  com.openfaas.scale.min: "2"
                secrets: [api-key]
                readonly_root_filesystem: true
                limits:
                  memory: 128Mi
            """);
        var cli = new FaasCli("http://127.0.0.1:9", directory.Path, directory.Path);

        var generated = await cli.RunAsync("generate --namespace team-a");
        var again = await cli.RunAsync("generate --namespace team-a");
        var stream = new YamlStream();
        stream.Load(new StringReader(generated.Stdout));

        Assert.True(generated.ExitCode == 0, generated.ToString());
        Assert.Equal(generated.Stdout, again.Stdout);
        Assert.Equal(2, stream.Documents.Count);
        var deployment = (YamlMappingNode)stream.Documents[0].RootNode;
        var service = (YamlMappingNode)stream.Documents[1].RootNode;
        Assert.Equal("Deployment", deployment["kind"].ToString());
        Assert.Equal("team-a", deployment["metadata"]["namespace"].ToString());
        Assert.Equal("2", deployment["spec"]["replicas"].ToString());
        Assert.Equal(YamlDotNet.Core.ScalarStyle.Plain, ((YamlScalarNode)deployment["spec"]["replicas"]).Style);
        Assert.Equal("web", deployment["spec"]["selector"]["matchLabels"]["faas_function"].ToString());
        var container = (YamlMappingNode)((YamlSequenceNode)deployment["spec"]["template"]["spec"]["containers"])[0];
        Assert.Equal("registry.example/web:3", container["image"].ToString());
        Assert.Equal("128Mi", container["resources"]["limits"]["memory"].ToString());
        Assert.Equal("true", container["securityContext"]["readOnlyRootFilesystem"].ToString());
        Assert.Equal("/var/openfaas/secrets", ((YamlSequenceNode)container["volumeMounts"])[0]["mountPath"].ToString());
        Assert.DoesNotContain("deployed-at", generated.Stdout);
        Assert.Equal("Service", service["kind"].ToString());
        Assert.Equal("8080", ((YamlSequenceNode)service["spec"]["ports"])[0]["port"].ToString());
    }

    [Fact]
    public async Task A_function_without_an_image_cannot_be_generated()
    {
        using var directory = new TempDirectory("faas-generate-");
        Directory.CreateDirectory(directory.Combine("web"));
        await File.WriteAllTextAsync(directory.Combine("stack.yml"), "version: 1.0\nprovider:\n  name: openfaas\nfunctions:\n  web:\n    lang: bash-streaming\n    handler: ./web\n");
        var cli = new FaasCli("http://127.0.0.1:9", directory.Path, directory.Path);

        var generated = await cli.RunAsync("generate");

        Assert.Equal(2, generated.ExitCode);
        Assert.Contains("web: 'image:' is required in", generated.Stderr);
    }
}
