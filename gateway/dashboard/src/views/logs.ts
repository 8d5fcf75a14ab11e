import { api, LogMessage } from "../api.js";
import { h, replace } from "../dom.js";

const KEPT = 500;

/** Live logs: the last lines, then every new one while following; a filter narrows what is shown. Returns how to stop. */
export function renderLogs(card: HTMLElement, name: string, namespace: string): () => void {
  const filter = h("input", { type: "search", placeholder: "Filter", "aria-label": "Filter logs" });
  const follow = h("button", { type: "button", class: "secondary", "aria-pressed": "true" }, "Pause");
  const output = h("pre", { "data-field": "logs", tabindex: 0, "aria-label": "Logs" });
  const lines: string[] = [];
  let controller: AbortController | null = null;

  const draw = () => {
    const term = filter.value.toLowerCase();
    output.textContent = lines.filter(line => !term || line.toLowerCase().includes(term)).join("\n");
    output.scrollTop = output.scrollHeight;
  };

  const start = async () => {
    controller = new AbortController();
    const signal = controller.signal;
    try {
      const response = await api.logs(name, namespace, signal);
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      let pending = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        pending += value;
        const complete = pending.split("\n");
        pending = complete.pop() ?? "";
        for (const line of complete.filter(Boolean)) {
          const message = JSON.parse(line) as LogMessage;
          lines.push(`${message.timestamp.slice(11, 23)} ${message.instance ? `[${message.instance.slice(0, 12)}] ` : ""}${message.text}`);
        }
        lines.splice(0, Math.max(0, lines.length - KEPT));
        draw();
      }
    } catch (error) {
      if (!signal.aborted) { lines.push(`(logs stopped: ${(error as Error).message})`); draw(); }
    }
  };

  follow.addEventListener("click", () => {
    if (controller) { controller.abort(); controller = null; follow.textContent = "Follow"; follow.setAttribute("aria-pressed", "false"); }
    else { follow.textContent = "Pause"; follow.setAttribute("aria-pressed", "true"); void start(); }
  });
  filter.addEventListener("input", draw);
  replace(card, h("div", { class: "inline" }, h("h2", {}, "Logs"), h("span", { class: "spacer" }), filter, follow), output);
  void start();
  return () => controller?.abort();
}
