namespace Faas.Bench.Tools;

/// <summary>The published executables in out/ that benchmarks measure: what users run (see the Makefile's publish targets).</summary>
public static class Binaries
{
    public static string Directory => Path.Combine(Faas.Harness.RepoPaths.Root, "out");

    public static string Watchdog => Require("watchdog");

    public static string TestUpstream => Require("test-upstream");

    public static string Gateway => Require("gateway");

    public static string GatewayAot => Require("gateway-aot");

    private static string Require(string name)
    {
        var path = Path.Combine(Directory, name);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: run 'make publish' (make bench does)");
    }
}
