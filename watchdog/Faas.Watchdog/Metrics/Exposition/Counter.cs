using System.Text;

namespace Faas.Watchdog.Metrics.Exposition;

/// <summary>A monotonically increasing counter family.</summary>
internal sealed class Counter(string name, string help, params string[] labelNames)
    : Metric<Counter.Child>(name, help, labelNames)
{
    protected override string TypeName => "counter";

    public void Inc(double amount = 1) => WithLabels(default(LabelValues)).Inc(amount);

    protected override Child CreateChild() => new();

    protected override void WriteChild(StringBuilder output, string labels, Child child) =>
        TextFormat.AppendSample(output, Name, labels, child.Value);

    public sealed class Child
    {
        private readonly AtomicDouble _value = new();

        public double Value => _value.Value;

        public void Inc(double amount = 1)
        {
            if (amount < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(amount), "a counter only goes up");
            }

            _value.Add(amount);
        }
    }
}
