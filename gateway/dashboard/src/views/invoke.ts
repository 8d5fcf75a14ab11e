import { h, replace } from "../dom.js";
import { millis } from "../format.js";

/** Headers from "Name: value" lines; blank lines are skipped, a line without a colon is an error naming it. */
export function parseHeaders(text: string): Headers {
  const headers = new Headers();
  text.split("\n").map(line => line.trim()).filter(Boolean).forEach(line => {
    const colon = line.indexOf(":");
    if (colon <= 0) throw new Error(`header line "${line}" is not Name: value`);
    headers.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
  });
  return headers;
}

/** A form that invokes the function through the gateway's /function/ route and shows status, headers, time, cold start and body. */
export function renderInvoke(card: HTMLElement, name: string, namespace: string, invoked: () => void): void {
  const method = h("select", { "aria-label": "Method" }, ...["POST", "GET", "PUT", "PATCH", "DELETE"].map(m => new Option(m, m)));
  const path = h("input", { "aria-label": "Path", placeholder: "/path?query", value: "" });
  const headers = h("textarea", { rows: 2, "aria-label": "Headers", placeholder: "Content-Type: text/plain" });
  const body = h("textarea", { rows: 4, "aria-label": "Body", placeholder: "Request body" });
  const submit = h("button", { type: "submit" }, "Invoke");
  const result = h("div", { "aria-live": "polite", "data-field": "invoke-result" });
  const form = h("form", { class: "stack", "aria-label": "Invoke" }, h("div", { class: "inline" }, method, path, submit), headers, body);
  form.addEventListener("submit", async event => {
    event.preventDefault();
    submit.disabled = true;
    const started = performance.now();
    try {
      const suffix = path.value.trim();
      const target = `/function/${encodeURIComponent(name)}.${encodeURIComponent(namespace)}${suffix && !suffix.startsWith("/") && !suffix.startsWith("?") ? "/" : ""}${suffix}`;
      const hasBody = method.value !== "GET" && method.value !== "DELETE";
      // The dashboard's header lets the session through where invocations need sign-in (Gateway:AuthenticateInvocations);
      // the gateway takes the session cookie off before the function sees the request.
      const sent = parseHeaders(headers.value);
      sent.set("X-Faas-Dashboard", "1");
      const response = await fetch(target, { method: method.value, headers: sent, body: hasBody ? body.value : undefined, credentials: "same-origin" });
      const text = await response.text();
      const took = performance.now() - started;
      const cold = response.headers.get("X-Cold-Start-Seconds");
      replace(result,
        h("p", { class: "inline" },
          h("strong", { class: response.ok ? "good" : "bad", "data-field": "invoke-status" }, `${response.status} ${response.statusText}`),
          h("span", {}, `in ${millis(took)}`),
          cold ? h("span", { class: "pill", "data-field": "cold-start" }, `cold start ${millis(Number(cold) * 1000)}`) : h("span", { class: "muted" }, "warm")),
        h("details", {}, h("summary", {}, "Response headers"), h("pre", {}, [...response.headers].map(([k, v]) => `${k}: ${v}`).join("\n"))),
        h("pre", { "data-field": "invoke-body" }, text));
      invoked();
    } catch (error) {
      replace(result, h("p", { class: "bad" }, (error as Error).message));
    } finally {
      submit.disabled = false;
    }
  });
  replace(card, h("h2", {}, "Invoke"), form, result);
}
