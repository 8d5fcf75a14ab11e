using System.Globalization;

namespace Faas.Harness;

/// <summary>Linux scheduling policies of live processes' threads, read from /proc (sched(7)).</summary>
public static class SchedulingPolicies
{
    public const int Other = 0;
    public const int Batch = 3;

    /// <summary>The scheduling policy of every thread of <paramref name="pid"/> (sched(7): 0 SCHED_OTHER, 3 SCHED_BATCH); none once it is gone.</summary>
    public static IReadOnlyList<int> ThreadPolicies(int pid)
    {
        var policies = new List<int>();
        if (!Directory.Exists($"/proc/{pid}/task"))
        {
            return policies;
        }

        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            // Field 41 of stat; the fields after the command name start at field 3.
            if (ProcessTable.StatFields(Path.Combine(task, "stat")) is { } fields)
            {
                policies.Add(int.Parse(fields[41 - 3], CultureInfo.InvariantCulture));
            }
        }

        return policies;
    }

    /// <summary>Whether <paramref name="pid"/> is alive and every one of its threads runs <paramref name="policy"/>.</summary>
    public static bool AllThreadsRun(int pid, int policy) => ThreadPolicies(pid) is { Count: > 0 } policies && policies.All(each => each == policy);

    /// <summary>For a failing assertion's message: the process and its threads' policies.</summary>
    public static string Describe(int pid) => $"threads of {pid} run policies [{string.Join(',', ThreadPolicies(pid))}]";
}
