using System.Net;
using Faas.Watchdog.Config;

namespace Faas.Watchdog.Tests.Config;

public class WatchdogConfigParserTests
{
    private static WatchdogConfig Parse(params (string Name, string Value)[] variables) =>
        WatchdogConfigParser.Parse(variables.Append((Name: "PATH", Value: "/usr/bin:/bin")).ToDictionary(v => v.Name, v => v.Value));

    [Fact]
    public void Defaults_match_of_watchdog()
    {
        var config = Parse(("fprocess", "cat"));

        Assert.Equal(WatchdogMode.Streaming, config.Mode);
        Assert.Equal(["/usr/bin/cat"], config.FunctionProcess);
        Assert.Equal(8080, config.Port);
        Assert.Equal(8081, config.MetricsPort);
        Assert.Equal(IPAddress.Any, config.ListenAddress);
        Assert.Equal(TimeSpan.FromSeconds(30), config.ReadTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), config.WriteTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), config.ExecTimeout);
        Assert.Equal(config.WriteTimeout, config.HealthcheckInterval);
        Assert.Equal(0, config.MaxInflight);
        Assert.True(config.PrefixLogs);
        Assert.Equal(64 * 1024, config.LogBufferSize);
        Assert.Equal("application/octet-stream", config.ContentType);
        Assert.False(config.CombineOutput);
        Assert.False(config.SuppressLock);
        Assert.False(config.BufferHttp);
        Assert.Equal("/home/app/public", config.StaticPath);
        Assert.True(config.SchedBatch);
        Assert.True(config.HttpFastPath);
    }

    [Fact]
    public void Aliases_of_of_watchdog_are_accepted()
    {
        var config = Parse(("function_process", "sh index.sh"), ("mode", "http"),
            ("http_upstream_url", "http://127.0.0.1:3000"), ("http_buffer_req_body", "true"));

        Assert.Equal(["/usr/bin/sh", "index.sh"], config.FunctionProcess);
        Assert.Equal(new Uri("http://127.0.0.1:3000"), config.UpstreamUrl);
        Assert.True(config.BufferHttp);
    }

    [Fact]
    public void Healthcheck_interval_defaults_to_write_timeout()
    {
        var config = Parse(("fprocess", "cat"), ("write_timeout", "1m5s"));

        Assert.Equal(TimeSpan.FromSeconds(65), config.HealthcheckInterval);
    }

    [Fact]
    public void Lock_file_lives_in_TMPDIR()
    {
        var config = Parse(("fprocess", "cat"), ("TMPDIR", "/var/run/replica-1"));

        Assert.Equal("/var/run/replica-1/.lock", config.LockFilePath);
    }

    [Fact]
    public void Quoted_fprocess_arguments_keep_their_spaces()
    {
        var config = Parse(("fprocess", "sh -c 'echo hello world'"));

        Assert.Equal(["/usr/bin/sh", "-c", "echo hello world"], config.FunctionProcess);
    }

    [Theory]
    [InlineData("mode", "afterburn", "one of streaming, serializing, http, static")]
    [InlineData("port", "http", "a whole number")]
    [InlineData("port", "70000", "a TCP port from 1 to 65535")]
    [InlineData("exec_timeout", "ten seconds", "a duration such as 10s")]
    [InlineData("idle_memory_check", "often", "a duration such as 10s")]
    [InlineData("write_timeout", "0", "a duration greater than zero")]
    [InlineData("max_inflight", "-1", "a whole number of at least 0")]
    [InlineData("FAAS_READY_FD", "2", "a whole number of at least 3")]
    [InlineData("prefix_logs", "yes", "true, false, 1 or 0")]
    [InlineData("sched_batch", "sometimes", "true, false, 1 or 0")]
    [InlineData("http_fast_path", "yes", "true, false, 1 or 0")]
    [InlineData("listen_address", "localhost:80", "an IP address")]
    [InlineData("content_type", "a b c", "a media type such as text/plain")]
    [InlineData("ready_path", "ready", "a path starting with /")]
    [InlineData("fprocess", "sh -c 'unterminated", "balanced quotes")]
    [InlineData("metrics_port", "8080", "a port different from port")]
    [InlineData("fprocess", "no-such-program --flag", "'no-such-program' is not an executable file or on PATH")]
    public void Bad_values_name_the_variable_the_value_and_the_accepted_form(string variable, string value, string accepted)
    {
        var environment = new Dictionary<string, string> { ["fprocess"] = "cat", ["PATH"] = "/usr/bin:/bin", [variable] = value };

        var error = Assert.Throws<ConfigException>(() => WatchdogConfigParser.Parse(environment));

        Assert.Equal(variable, error.Variable);
        Assert.Contains($"{variable}=\"{value}\"", error.Message);
        Assert.Contains(accepted, error.Message);
    }

    [Fact]
    public void Fprocess_program_is_resolved_on_PATH_once()
    {
        var config = Parse(("fprocess", "env -i"));

        Assert.Equal(["/usr/bin/env", "-i"], config.FunctionProcess);
    }

    [Fact]
    public void Fprocess_is_required_outside_static_mode()
    {
        var error = Assert.Throws<ConfigException>(() => Parse(("mode", "serializing")));

        Assert.Equal("fprocess", error.Variable);
    }

    [Fact]
    public void Upstream_url_is_required_in_http_mode()
    {
        var error = Assert.Throws<ConfigException>(() => Parse(("mode", "http"), ("fprocess", "sh server.sh")));

        Assert.Equal("upstream_url", error.Variable);
    }

    [Fact]
    public void Static_mode_needs_an_existing_directory_and_no_fprocess()
    {
        var error = Assert.Throws<ConfigException>(() => Parse(("mode", "static"), ("static_path", "/no/such/dir")));
        Assert.Equal("static_path", error.Variable);

        var config = Parse(("mode", "static"), ("static_path", Path.GetTempPath()));
        Assert.Empty(config.FunctionProcess);
    }
}
