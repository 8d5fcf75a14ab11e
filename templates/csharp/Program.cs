// The http-mode host: the watchdog starts it once and proxies every request to 127.0.0.1:$PORT.
var builder = WebApplication.CreateSlimBuilder(args);
builder.WebHost.UseUrls($"http://127.0.0.1:{Environment.GetEnvironmentVariable("PORT") ?? "5000"}");
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
var app = builder.Build();
app.MapGet("/_/ready", () => Results.Text("ready"));
// Cast to Delegate so that the handler's IResult is written (a RequestDelegate would discard it).
app.Map("/{**path}", (Delegate)Handler.HandleAsync);
app.Run();
