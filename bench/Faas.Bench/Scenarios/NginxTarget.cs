using Faas.Harness;
using Faas.Posix;

namespace Faas.Bench.Scenarios;

/// <summary>
/// nginx (Debian's nginx-light) as a reverse proxy in one hop's place: what the field's C proxy reaches on this machine,
/// the reference for the throughput ratios. One worker per core, keep-alive connections to its upstream, no access log
/// (the gateway here logs at Warning; the watchdog's per-request line is priced in the watchdog-http scenario).
/// </summary>
internal static class NginxTarget
{
    public static async Task<Target> StartInFrontOfAsync(Target upstream)
    {
        var temp = new TempDirectory("faas-bench-nginx-");
        var port = FreePort.Next();
        var config = temp.Combine("nginx.conf");
        await File.WriteAllTextAsync(config, $$"""
            daemon off;
            worker_processes auto;
            user root;
            pid {{temp.Combine("nginx.pid")}};
            error_log stderr warn;
            events { worker_connections 1024; }
            http {
                access_log off;
                client_body_temp_path {{temp.Combine("body")}};
                proxy_temp_path {{temp.Combine("proxy")}};
                upstream function {
                    server 127.0.0.1:{{upstream.Port}};
                    keepalive 64;
                }
                server {
                    listen 127.0.0.1:{{port}};
                    location / {
                        proxy_pass http://function;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                    }
                }
            }
            """);
        ChildProcess process;
        try
        {
            process = ChildProcess.Start("nginx", ["-e", "stderr", "-c", config]);
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            temp.Dispose();
            throw new InvalidOperationException("nginx could not be started (make deps-bench installs nginx-light): " + error.Message, error);
        }

        var target = new Target(process, port, temp);
        try
        {
            await TestHttp.WaitForOkAsync(target.Url + "/", TimeSpan.FromSeconds(20), () => process.Output);
        }
        catch
        {
            await target.DisposeAsync();
            throw;
        }

        return target;
    }
}
