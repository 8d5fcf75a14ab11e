using System.Net;

namespace Faas.Gateway.Tests.Admin;

/// <summary>Secret names are checked on every secret route: a name is never a path, and a bad one is a 400 that changes nothing.</summary>
public class SecretRoutesTests
{
    public static TheoryData<string, string> BadSecrets => new()
    {
        { "{}", "secret name is required" },
        { """{"name":""}""", "secret name is required" },
        { """{"name":"../../outside"}""", "secret name \"../../outside\"" },
        { """{"name":"/etc/outside"}""", "secret name \"/etc/outside\"" },
        { """{"name":"a/b"}""", "secret name \"a/b\"" },
        { """{"name":".."}""", "secret name \"..\"" },
        { """{"name":"Upper_Case"}""", "secret name \"Upper_Case\"" },
        { """{"name":"fine","namespace":"../.."}""", "namespace \"../..\"" },
    };

    [Theory]
    [MemberData(nameof(BadSecrets))]
    public async Task A_bad_name_is_400_on_every_route_and_touches_no_file(string body, string expected)
    {
        await using var gateway = await GatewayFixture.StartAsync();
        var outside = Path.Combine(gateway.StateDirectory, "outside");
        await File.WriteAllTextAsync(outside, "keep me");

        foreach (var method in new[] { HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete })
        {
            var withValue = body == "{}" ? body : body.Replace("}", ""","value":"v"}""", StringComparison.Ordinal);
            using var response = await gateway.Admin.SendAsync(new HttpRequestMessage(method, gateway.Url + "/system/secrets") { Content = GatewayFixture.Json(withValue) });

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(expected, await response.Content.ReadAsStringAsync());
        }

        Assert.Equal("keep me", await File.ReadAllTextAsync(outside));
        Assert.Equal("[]", await gateway.Admin.GetStringAsync(gateway.Url + "/system/secrets"));
    }
}
