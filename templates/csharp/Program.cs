// The http-mode host: the watchdog starts it once and proxies every request to 127.0.0.1:$PORT.
// Settings are read once: ASP.NET's reload-on-change would watch the working directory, every directory under it.
var builder = WebApplication.CreateSlimBuilder([.. args, "--hostBuilder:reloadConfigOnChange=false"]);
builder.WebHost.UseUrls($"http://127.0.0.1:{Environment.GetEnvironmentVariable("PORT") ?? "5000"}");
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
var app = builder.Build();
app.MapGet("/_/ready", () => Results.Text("ready"));
// A plain RequestDelegate that writes the handler's IResult itself: no reflection, so it runs the same under Native AOT.
app.Map("/{**path}", async context => await (await Handler.HandleAsync(context)).ExecuteAsync(context));
app.Run();
