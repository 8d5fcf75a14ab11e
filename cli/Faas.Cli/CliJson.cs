using System.Text.Json.Serialization;
using Faas.Cli.Gateway;
using Faas.Cli.Store;

namespace Faas.Cli;

/// <summary>Source-generated JSON for the CLI's own files and the gateway answers it reads beyond faas-provider's types.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = true)]
[JsonSerializable(typeof(Dictionary<string, SavedLogin>))]
[JsonSerializable(typeof(BundleUploaded))]
[JsonSerializable(typeof(StoreCatalogFile))]
[JsonSerializable(typeof(System.Text.Json.JsonElement))]
internal sealed partial class CliJson : JsonSerializerContext;
