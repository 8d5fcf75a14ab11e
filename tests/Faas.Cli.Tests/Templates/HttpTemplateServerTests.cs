using System.Diagnostics;

namespace Faas.Cli.Tests.Templates;

/// <summary>
/// The servers the http templates run in front of a handler. Each must send its answer without waiting on Nagle's
/// algorithm: headers and body written apart would otherwise wait for the client's delayed ACK (~40 ms a request).
/// Node's http server and Kestrel (the node-http and csharp templates) turn it off by default.
/// </summary>
public class HttpTemplateServerTests
{
    [Fact]
    public async Task The_python_server_turns_Nagle_off_on_every_connection()
    {
        var template = Path.Combine(RepoPaths.Root, "templates", "python3-http");
        var info = new ProcessStartInfo("python3") { WorkingDirectory = template, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("import index; print(index.Handler.disable_nagle_algorithm)");
        info.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        using var python = Process.Start(info)!;
        var output = await python.StandardOutput.ReadToEndAsync();
        await python.WaitForExitAsync();

        Assert.Equal("True", output.Trim());
    }
}
