using Spectre.Console;
using Spectre.Console.Rendering;

namespace Faas.Cli;

/// <summary>Tables through Spectre.Console, at a fixed width when output is not a terminal so piped output is not wrapped.</summary>
public static class Output
{
    private static readonly IAnsiConsole Console = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(System.Console.Out),
        Ansi = System.Console.IsOutputRedirected ? AnsiSupport.No : AnsiSupport.Detect,
        ColorSystem = System.Console.IsOutputRedirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
    });

    public static void Write(IRenderable renderable)
    {
        if (System.Console.IsOutputRedirected)
        {
            Console.Profile.Width = 200;
        }

        Console.Write(renderable);
    }
}
