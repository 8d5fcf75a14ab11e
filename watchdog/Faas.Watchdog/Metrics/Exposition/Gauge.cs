using System.Text;

namespace Faas.Watchdog.Metrics.Exposition;

/// <summary>A gauge family: a value that goes up and down.</summary>
internal sealed class Gauge(string name, string help, params string[] labelNames)
    : Metric<Gauge.Child>(name, help, labelNames)
{
    protected override string TypeName => "gauge";

    public Child Unlabelled => WithLabels(default(LabelValues));

    protected override Child CreateChild() => new();

    protected override void WriteChild(StringBuilder output, string labels, Child child) =>
        TextFormat.AppendSample(output, Name, labels, child.Value);

    public sealed class Child
    {
        private readonly AtomicDouble _value = new();

        public double Value => _value.Value;

        public void Set(double value) => _value.Set(value);

        public void Inc(double amount = 1) => _value.Add(amount);

        public void Dec(double amount = 1) => _value.Add(-amount);
    }
}
