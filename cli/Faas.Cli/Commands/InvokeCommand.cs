using System.CommandLine;
using System.Net.Http.Headers;

namespace Faas.Cli.Commands;

/// <summary><c>faas invoke NAME</c>: the request body from stdin, the function's answer to stdout; a 4xx/5xx answer exits 1.</summary>
internal static class InvokeCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "The function (NAME or NAME.NAMESPACE)" };
        var isAsync = new Option<bool>("--async", "-a") { Description = "Queue the call (202 with X-Call-Id) instead of waiting for the answer" };
        var headers = new Option<string[]>("--header", "-H") { Description = "A request header, KEY=VALUE (repeatable)" };
        var method = new Option<string>("--method", "-m") { Description = "HTTP method", DefaultValueFactory = _ => "POST" };
        var query = new Option<string[]>("--query") { Description = "A query parameter, KEY=VALUE (repeatable)" };
        var contentType = new Option<string>("--content-type") { Description = "Content-Type of the body", DefaultValueFactory = _ => "text/plain" };
        var callback = new Option<string?>("--callback-url") { Description = "Where an async call's result is POSTed" };
        var command = new Command("invoke", "Invoke a function with stdin as the body") { name, isAsync, headers, method, query, contentType, callback };
        command.SetAction(async (result, cancellationToken) =>
        {
            var function = result.GetValue(name)!;
            var ns = CliOptions.NamespaceOf(result);
            var route = ns is null || function.Contains('.', StringComparison.Ordinal) ? function : $"{function}.{ns}";
            var pairs = (result.GetValue(query) ?? []).Select(pair => Split(pair, "--query")).ToList();
            var queryString = pairs.Count == 0 ? "" : "?" + string.Join('&', pairs.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
            using var client = CliOptions.Client(result);
            var prefix = result.GetValue(isAsync) ? "/async-function/" : "/function/";
            using var request = new HttpRequestMessage(new HttpMethod(result.GetValue(method)!.ToUpperInvariant()), client.Url + prefix + route + queryString);
            var body = Console.IsInputRedirected ? Console.OpenStandardInput() : Stream.Null;
            request.Content = new StreamContent(body);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(result.GetValue(contentType)!);
            foreach (var (key, value) in (result.GetValue(headers) ?? []).Select(pair => Split(pair, "--header")))
            {
                if (!request.Headers.TryAddWithoutValidation(key, value))
                {
                    request.Content.Headers.TryAddWithoutValidation(key, value);
                }
            }

            if (result.GetValue(callback) is { } url)
            {
                request.Headers.TryAddWithoutValidation("X-Callback-Url", url);
            }

            using var response = await client.InvokeAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                var text = (await response.Content.ReadAsStringAsync(cancellationToken)).Trim();
                throw new CliException($"{function}: {(int)response.StatusCode} {response.ReasonPhrase}{(text.Length > 0 ? ": " + text : "")}");
            }

            if (result.GetValue(isAsync))
            {
                Console.Error.WriteLine($"Accepted: call id {string.Join(",", response.Headers.TryGetValues("X-Call-Id", out var ids) ? ids : [])}");
                return 0;
            }

            await using var stdout = Console.OpenStandardOutput();
            await (await response.Content.ReadAsStreamAsync(cancellationToken)).CopyToAsync(stdout, cancellationToken);
            return 0;
        });
        return command;
    }

    private static KeyValuePair<string, string> Split(string pair, string option)
    {
        var equals = pair.IndexOf('=', StringComparison.Ordinal);
        return equals > 0
            ? new(pair[..equals], pair[(equals + 1)..])
            : throw CliException.BadInput($"{option} takes KEY=VALUE, got \"{pair}\"");
    }
}
