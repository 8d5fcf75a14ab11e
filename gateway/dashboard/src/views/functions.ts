import { api, FunctionStatus, HistoryPoint } from "../api.js";
import { sparkline } from "../charts.js";
import { h, replace, toast } from "../dom.js";
import { count, millis, percent } from "../format.js";
import type { Context } from "../main.js";

/** Over how many of the last points the list's rates and latencies are taken (a minute at the default interval). */
const RECENT = 6;

export interface Recent { invocations: number; errors: number; p50: number | null; p99: number | null }

/** Totals over the last points: invocations and errors summed, the worst p50 and p99 among them. */
export function recent(points: HistoryPoint[], last = RECENT): Recent {
  const window = points.slice(-last);
  const worst = (pick: (p: HistoryPoint) => number | null | undefined) =>
    window.reduce<number | null>((max, p) => { const v = pick(p); return v === null || v === undefined ? max : Math.max(max ?? 0, v); }, null);
  return {
    invocations: window.reduce((sum, p) => sum + p.invocations, 0),
    errors: window.reduce((sum, p) => sum + p.errors, 0),
    p50: worst(p => p.p50Ms),
    p99: worst(p => p.p99Ms),
  };
}

/** Every function of the namespace with its replicas, invocations, error rate, latency and a live line; refreshed every 2 s. */
export function renderFunctions(root: HTMLElement, context: Context): () => void {
  const search = h("input", { type: "search", placeholder: "Search functions", "aria-label": "Search functions" });
  const body = h("tbody");
  const empty = h("p", { class: "muted" });
  replace(root,
    h("div", { class: "inline" }, h("h1", {}, "Functions"), h("span", { class: "spacer" }), search),
    h("div", { class: "table-wrap" }, h("table", { "aria-label": "Functions" },
      h("thead", {}, h("tr", {},
        h("th", {}, "Name"), h("th", { class: "hide-narrow" }, "Image"), h("th", { class: "num" }, "Replicas"),
        h("th", { class: "num" }, "Invocations"), h("th", { class: "num hide-narrow" }, "Errors (1 min)"),
        h("th", { class: "num hide-narrow" }, "p50 / p99 (1 min)"), h("th", { class: "hide-narrow" }, "Last 15 min"))),
      body)),
    empty);

  let functions: FunctionStatus[] = [];
  let history = new Map<string, HistoryPoint[]>();
  const draw = () => {
    const term = search.value.trim().toLowerCase();
    const shown = functions.filter(f => !term || f.name.toLowerCase().includes(term) || f.image.toLowerCase().includes(term));
    empty.textContent = functions.length === 0 ? `No functions in ${context.namespace}. Deploy one from the Store.` : shown.length === 0 ? "No function matches." : "";
    replace(body, ...shown.map(f => {
      const points = history.get(f.name) ?? [];
      const last = recent(points);
      const link = h("a", { href: `#/function/${encodeURIComponent(f.name)}` }, f.name);
      return h("tr", { "data-function": f.name },
        h("td", {}, link),
        h("td", { class: "hide-narrow muted" }, f.image),
        h("td", { class: "num", "data-field": "replicas" }, `${f.availableReplicas}/${f.replicas}`),
        h("td", { class: "num", "data-field": "invocations" }, count(f.invocationCount)),
        h("td", { class: `num hide-narrow ${last.errors ? "bad" : ""}` }, percent(last.errors, last.invocations)),
        h("td", { class: "num hide-narrow" }, `${millis(last.p50)} / ${millis(last.p99)}`),
        h("td", { class: "hide-narrow" }, sparkline(points.map(p => p.invocations), `${f.name}: invocations over the last 15 minutes`)));
    }));
  };
  search.addEventListener("input", draw);

  let timer = 0;
  let stopped = false;
  const refresh = async () => {
    try {
      const [list, recentHistory] = await Promise.all([api.functions(context.namespace), api.history(context.namespace)]);
      functions = list.sort((a, b) => a.name.localeCompare(b.name));
      history = new Map(recentHistory.functions.map(f => [f.name, f.points]));
      draw();
    } catch (error) {
      if (!stopped) toast(`Could not load functions: ${(error as Error).message}`, true);
    }
    if (!stopped) timer = window.setTimeout(refresh, 2000);
  };
  void refresh();
  search.focus();
  return () => { stopped = true; clearTimeout(timer); };
}
