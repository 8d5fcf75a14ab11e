using System.Collections.Concurrent;
using System.Text;

namespace Faas.Watchdog.Metrics.Exposition;

/// <summary>A metric family: name, help, type and one child per distinct set of label values.</summary>
internal abstract class Metric<TChild> : IMetric where TChild : class
{
    private readonly ConcurrentDictionary<LabelValues, TChild> _children = new();
    private readonly string[] _labelNames;

    protected Metric(string name, string help, string[] labelNames)
    {
        MetricName.Validate(name);
        if (labelNames.Length > LabelValues.MaxLabels)
        {
            throw new ArgumentException($"metric {name}: at most {LabelValues.MaxLabels} labels are supported", nameof(labelNames));
        }

        foreach (var label in labelNames)
        {
            MetricName.ValidateLabel(label);
        }

        Name = name;
        Help = help;
        _labelNames = labelNames;
    }

    public string Name { get; }

    public string Help { get; }

    protected abstract string TypeName { get; }

    /// <summary>The child for these label values, created on first use.</summary>
    public TChild WithLabels(LabelValues values)
    {
        if (_children.TryGetValue(values, out var child))
        {
            return child;
        }

        if (values.Count != _labelNames.Length)
        {
            throw new ArgumentException($"metric {Name} takes {_labelNames.Length} label values, got {values.Count}", nameof(values));
        }

        return _children.GetOrAdd(values, _ => CreateChild());
    }

    public TChild WithLabels(string first) => WithLabels(new LabelValues(first));

    public TChild WithLabels(string first, string second) => WithLabels(new LabelValues(first, second));

    public TChild WithLabels(string first, string second, string third) => WithLabels(new LabelValues(first, second, third));

    /// <summary>The child for these label values if it exists, without creating one.</summary>
    public bool TryGet(LabelValues values, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TChild? child) => _children.TryGetValue(values, out child);

    /// <summary>Forgets the child for these label values (for example a deleted function).</summary>
    public bool Remove(LabelValues values) => _children.TryRemove(values, out _);

    protected abstract TChild CreateChild();

    protected abstract void WriteChild(StringBuilder output, string labels, TChild child);

    public void WriteTo(StringBuilder output)
    {
        output.Append("# HELP ").Append(Name).Append(' ');
        TextFormat.AppendEscapedHelp(output, Help);
        output.Append('\n');
        output.Append("# TYPE ").Append(Name).Append(' ').Append(TypeName).Append('\n');
        foreach (var (values, child) in _children.OrderBy(pair => pair.Key.ToString(), StringComparer.Ordinal))
        {
            WriteChild(output, FormatLabels(values), child);
        }
    }

    private string FormatLabels(LabelValues values)
    {
        if (_labelNames.Length == 0)
        {
            return string.Empty;
        }

        var builder = new StringBuilder();
        for (var i = 0; i < _labelNames.Length; i++)
        {
            builder.Append(i == 0 ? "" : ",").Append(_labelNames[i]).Append("=\"");
            TextFormat.AppendEscapedLabelValue(builder, values[i]);
            builder.Append('"');
        }

        return builder.ToString();
    }
}

/// <summary>What the registry needs of any metric family.</summary>
internal interface IMetric
{
    string Name { get; }

    void WriteTo(StringBuilder output);
}
