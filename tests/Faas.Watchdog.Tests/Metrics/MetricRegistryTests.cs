using Faas.Watchdog.Metrics.Exposition;

namespace Faas.Watchdog.Tests.Metrics;

public class MetricRegistryTests
{
    [Fact]
    public void Counter_renders_help_type_and_labelled_samples()
    {
        var registry = new MetricRegistry();
        var counter = registry.Counter("requests_total", "Requests served.", "code", "method");
        counter.WithLabels("200", "GET").Inc();
        counter.WithLabels("200", "GET").Inc(2);
        counter.WithLabels("500", "POST").Inc();

        var text = registry.Render();

        Assert.Equal(
            "# HELP requests_total Requests served.\n" +
            "# TYPE requests_total counter\n" +
            "requests_total{code=\"200\",method=\"GET\"} 3\n" +
            "requests_total{code=\"500\",method=\"POST\"} 1\n",
            text);
    }

    [Fact]
    public void Histogram_buckets_are_cumulative_with_sum_and_count()
    {
        var registry = new MetricRegistry();
        var histogram = registry.Histogram("latency_seconds", "Latency.", [], [0.1, 1]);
        histogram.WithLabels(default(LabelValues)).Observe(0.05);
        histogram.WithLabels(default(LabelValues)).Observe(0.5);
        histogram.WithLabels(default(LabelValues)).Observe(5);

        var text = registry.Render();

        Assert.Contains("latency_seconds_bucket{le=\"0.1\"} 1\n", text);
        Assert.Contains("latency_seconds_bucket{le=\"1\"} 2\n", text);
        Assert.Contains("latency_seconds_bucket{le=\"+Inf\"} 3\n", text);
        Assert.Contains("latency_seconds_sum 5.55\n", text);
        Assert.Contains("latency_seconds_count 3\n", text);
    }

    [Fact]
    public void Label_values_and_help_are_escaped()
    {
        var registry = new MetricRegistry();
        registry.Gauge("odd", "Line one\nback\\slash", "name").WithLabels("a\"b\\c\nd").Set(1);

        var text = registry.Render();

        Assert.Contains("# HELP odd Line one\\nback\\\\slash\n", text);
        Assert.Contains("odd{name=\"a\\\"b\\\\c\\nd\"} 1\n", text);
    }

    [Fact]
    public void Wrong_number_of_label_values_is_rejected()
    {
        var counter = new Counter("x_total", "x", "a", "b");

        Assert.Throws<ArgumentException>(() => counter.WithLabels("only-one"));
    }

    [Theory]
    [InlineData("9starts_with_digit")]
    [InlineData("has-dash")]
    public void Invalid_metric_names_are_rejected(string name) =>
        Assert.Throws<ArgumentException>(() => new Gauge(name, "help"));

    [Fact]
    public void Counter_refuses_to_go_down() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new Counter("c_total", "c").Inc(-1));

    [Fact]
    public async Task Rendered_output_passes_promtool_check_metrics()
    {
        var registry = new MetricRegistry();
        registry.Counter("http_requests_total", "Requests.", "code", "method").WithLabels("200", "GET").Inc();
        registry.Histogram("http_request_duration_seconds", "Durations.", ["code", "method"]).WithLabels("200", "GET").Observe(0.2);
        registry.Gauge("http_requests_in_flight", "In flight.").Unlabelled.Set(3);

        var (exitCode, output) = await Promtool.CheckMetricsAsync(registry.Render());

        Assert.True(exitCode == 0, output);
    }
}
