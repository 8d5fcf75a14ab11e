/// <summary>Answers every request to the function.</summary>
public static class Handler
{
    public static async Task<IResult> HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var name = await reader.ReadToEndAsync(context.RequestAborted);
        return Results.Text($"Hello from C#, {(name.Length > 0 ? name : "world")}!\n");
    }
}
