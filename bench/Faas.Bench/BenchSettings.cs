namespace Faas.Bench;

/// <summary>How long each wrk run lasts and how many alternating rounds; from BENCH_DURATION and BENCH_ROUNDS.</summary>
internal sealed record BenchSettings(TimeSpan Duration, int Rounds)
{
    /// <summary>A discarded run before measuring, so tiered compilation has settled.</summary>
    public TimeSpan WarmUp { get; } = TimeSpan.FromSeconds(3);

    public static BenchSettings FromEnvironment() => new(
        TimeSpan.FromSeconds(int.TryParse(Environment.GetEnvironmentVariable("BENCH_DURATION"), out var seconds) ? seconds : 5),
        int.TryParse(Environment.GetEnvironmentVariable("BENCH_ROUNDS"), out var rounds) ? rounds : 3);
}
