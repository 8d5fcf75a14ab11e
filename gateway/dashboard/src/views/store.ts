import { api, ApiError } from "../api.js";
import { h, replace, toast } from "../dom.js";
import type { Context } from "../main.js";

/** The function store: each function with its description, deployable into the current namespace under its name or another. */
export function renderStore(root: HTMLElement, context: Context): () => void {
  const grid = h("div", { class: "grid" });
  const search = h("input", { type: "search", placeholder: "Search the store", "aria-label": "Search the store" });
  replace(root, h("div", { class: "inline" }, h("h1", {}, "Store"), h("span", { class: "spacer" }), search), grid);
  let stopped = false;
  void (async () => {
    try {
      const entries = await api.store();
      const draw = () => {
        const term = search.value.trim().toLowerCase();
        replace(grid, ...entries.filter(e => !term || `${e.name} ${e.title} ${e.description}`.toLowerCase().includes(term)).map(entry => {
          const service = h("input", { value: entry.name, "aria-label": `Deploy ${entry.title} as`, class: "name-input" });
          const deploy = h("button", { type: "submit" }, "Deploy");
          const form = h("form", { class: "inline", "aria-label": `Deploy ${entry.name}` }, service, deploy);
          form.addEventListener("submit", async event => {
            event.preventDefault();
            deploy.disabled = true;
            try {
              await api.deployFromStore(entry.name, service.value.trim(), context.namespace);
              toast(`Deployed ${service.value.trim()} to ${context.namespace}.`);
              if (!stopped) context.go(`#/function/${encodeURIComponent(service.value.trim())}`);
            } catch (error) {
              toast(`Deploy failed: ${(error as Error).message}`, true);
            } finally {
              deploy.disabled = false;
            }
          });
          return h("div", { class: "card", "data-store": entry.name },
            h("h2", {}, entry.title, " ", h("span", { class: "pill" }, entry.lang ?? "image")),
            h("p", {}, entry.description),
            form);
        }));
      };
      search.addEventListener("input", draw);
      draw();
    } catch (error) {
      replace(grid, h("p", { class: "muted" }, error instanceof ApiError && error.status === 404 ? "This gateway has no function store configured (FAAS_STORE_DIR)." : `Could not load the store: ${(error as Error).message}`));
    }
  })();
  return () => { stopped = true; };
}
