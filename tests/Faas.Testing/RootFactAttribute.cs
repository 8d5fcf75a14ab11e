using Xunit;

namespace Faas.Testing;

/// <summary>A fact that needs root, such as leaving it for another user; reported as skipped, with that reason, elsewhere.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (!Faas.Posix.FileOwner.IsRoot)
        {
            Skip = "needs root: only root can switch to another user";
        }
    }
}
