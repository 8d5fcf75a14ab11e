using Faas.Provider.Wire;

namespace Faas.Provider.Local.Tests.Secrets;

public class SecretTests
{
    private const string Value = "s3cr3t-value-7f9c";

    [Fact]
    public async Task Secret_reaches_the_function_as_a_private_file_and_never_appears_in_lists_or_logs()
    {
        await using var fixture = await LocalProviderFixture.StartAsync();
        await fixture.Provider.CreateSecretAsync(new Secret { Name = "api-key", Value = Value }, CancellationToken.None);
        var deployment = LocalProviderFixture.Function("reader", "sh -c 'cat $FAAS_SECRETS_DIR/api-key; echo read a secret >&2'") with { Secrets = ["api-key"] };

        await fixture.Provider.DeployAsync(deployment, CancellationToken.None);
        var ready = await fixture.WaitForReadyAsync("reader", 1);

        Assert.Equal(Value, await LocalProviderFixture.InvokeAsync(ready[0]));
        var listed = Assert.Single(await fixture.Provider.ListSecretsAsync("", CancellationToken.None));
        Assert.Equal("api-key", listed.Name);
        Assert.Null(listed.Value);
        Assert.Null(listed.RawValue);
        var stored = Directory.EnumerateFiles(fixture.State.Path, "api-key", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(stored);
        Assert.All(stored, file => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file)));
        await TestLogs.WaitForLineAsync(fixture.Provider, "reader", "read a secret");
        var logs = await TestLogs.ReadAllAsync(fixture.Provider, "reader");
        Assert.DoesNotContain(logs, message => message.Text.Contains(Value, StringComparison.Ordinal));
        var status = await fixture.Provider.GetAsync("reader", "", CancellationToken.None);
        Assert.DoesNotContain(Value, System.Text.Json.JsonSerializer.Serialize(status, ProviderJson.Default.FunctionStatus));
    }

    [Fact]
    public async Task Deploying_with_a_missing_secret_is_invalid_and_deploys_nothing()
    {
        await using var fixture = await LocalProviderFixture.StartAsync();

        var error = await Assert.ThrowsAsync<ProviderException>(() => fixture.Provider.DeployAsync(
            LocalProviderFixture.Function("needy", "cat") with { Secrets = ["absent"] }, CancellationToken.None));

        Assert.Equal(ProviderError.Invalid, error.Kind);
        Assert.Contains("'absent'", error.Message);
        Assert.Empty(await fixture.Provider.ListAsync("", CancellationToken.None));
        Assert.Empty(LocalProviderFixture.ProcessesOf("needy"));
    }

    [Fact]
    public async Task Secret_lifecycle_reports_conflict_and_not_found()
    {
        await using var fixture = await LocalProviderFixture.StartAsync();
        var secret = new Secret { Name = "token", RawValue = [1, 2, 3] };

        await fixture.Provider.CreateSecretAsync(secret, CancellationToken.None);
        var duplicate = await Assert.ThrowsAsync<ProviderException>(() => fixture.Provider.CreateSecretAsync(secret, CancellationToken.None));
        await fixture.Provider.UpdateSecretAsync(secret with { RawValue = [4] }, CancellationToken.None);
        await fixture.Provider.DeleteSecretAsync("token", "", CancellationToken.None);
        var missing = await Assert.ThrowsAsync<ProviderException>(() => fixture.Provider.UpdateSecretAsync(secret, CancellationToken.None));
        var badName = await Assert.ThrowsAsync<ProviderException>(() => fixture.Provider.CreateSecretAsync(secret with { Name = "Bad_Name" }, CancellationToken.None));

        Assert.Equal(ProviderError.Conflict, duplicate.Kind);
        Assert.Equal(ProviderError.NotFound, missing.Kind);
        Assert.Equal(ProviderError.Invalid, badName.Kind);
        Assert.Contains("secret name", badName.Message);
    }
}
