namespace Faas.Watchdog.Metrics.Exposition;

/// <summary>
/// The values of up to three labels, as a struct so that looking up a labelled child allocates nothing.
/// Every metric this project exports has at most three labels.
/// </summary>
internal readonly record struct LabelValues(string? First = null, string? Second = null, string? Third = null)
{
    public const int MaxLabels = 3;

    public int Count => Third is not null ? 3 : Second is not null ? 2 : First is not null ? 1 : 0;

    public string this[int index] => index switch
    {
        0 => First!,
        1 => Second!,
        2 => Third!,
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };
}
