using System.Text.Json;
using Faas.Cli.Store;

namespace Faas.Cli.Tests.Store;

/// <summary>
/// store/functions.json as faas-cli 0.16 decodes it (schema/store/v2 StoreFunction): Go's encoding/json fails the
/// whole file when a field has another JSON type than its Go field, so every known field is checked for its kind, and
/// every function must name an image for the platforms faas-cli filters on.
/// </summary>
public class StoreCatalogTests
{
    private static readonly string StoreFile = Path.Combine(RepoPaths.Root, "store", "functions.json");

    private static readonly Dictionary<string, JsonValueKind> GoFieldKinds = new()
    {
        ["icon"] = JsonValueKind.String, ["author"] = JsonValueKind.String, ["title"] = JsonValueKind.String,
        ["description"] = JsonValueKind.String, ["name"] = JsonValueKind.String, ["fprocess"] = JsonValueKind.String,
        ["network"] = JsonValueKind.String, ["repo_url"] = JsonValueKind.String, ["readOnlyRootFilesystem"] = JsonValueKind.True,
        ["environment"] = JsonValueKind.Object, ["labels"] = JsonValueKind.Object, ["annotations"] = JsonValueKind.Object,
        ["images"] = JsonValueKind.Object,
    };

    [Fact]
    public void The_store_is_in_openfaas_v2_form_with_an_image_per_platform()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(StoreFile));
        var functions = document.RootElement.GetProperty("functions").EnumerateArray().ToList();

        Assert.Equal(JsonValueKind.String, document.RootElement.GetProperty("version").ValueKind);
        Assert.NotEmpty(functions);
        foreach (var function in functions)
        {
            var name = function.GetProperty("name").GetString();
            foreach (var field in function.EnumerateObject().Where(field => GoFieldKinds.ContainsKey(field.Name)))
            {
                var expected = GoFieldKinds[field.Name];
                var kind = field.Value.ValueKind == JsonValueKind.False ? JsonValueKind.True : field.Value.ValueKind;
                Assert.True(kind == expected || kind == JsonValueKind.Null, $"{name}: {field.Name} is {field.Value.ValueKind}, Go expects {expected}");
                if (expected == JsonValueKind.Object && kind == JsonValueKind.Object)
                {
                    Assert.All(field.Value.EnumerateObject(), entry => Assert.Equal(JsonValueKind.String, entry.Value.ValueKind));
                }
            }

            Assert.False(function.TryGetProperty("image", out _), $"{name}: 'image' is the v1 store's field; v2 has 'images'");
            var images = function.GetProperty("images");
            Assert.False(string.IsNullOrEmpty(images.GetProperty("x86_64").GetString()), $"{name}: no x86_64 image");
            Assert.False(string.IsNullOrEmpty(images.GetProperty("arm64").GetString()), $"{name}: no arm64 image");
        }
    }

    [Fact]
    public void Our_catalog_reads_the_image_for_this_platform()
    {
        var echo = StoreCatalog.Load(StoreFile).Get("echo");

        Assert.Equal("faas-store/echo:latest", echo.Image);
        Assert.Equal(echo.Images[StoreFunction.Platform], echo.Image);
    }
}
