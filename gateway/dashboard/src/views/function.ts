import { api, ApiError, FunctionStatus, HistoryPoint } from "../api.js";
import { lineChart } from "../charts.js";
import { h, replace, toast } from "../dom.js";
import { count, dateTime, maskIfSensitive, millis } from "../format.js";
import type { Context } from "../main.js";
import { renderInvoke } from "./invoke.js";
import { renderLogs } from "./logs.js";

/** One function: its definition, replicas, graphs of the last 15 minutes, an invoke form, live logs, scale and delete. */
export function renderFunction(root: HTMLElement, context: Context, name: string): () => void {
  const status = h("span", { class: "pill", "data-field": "status" });
  const definition = h("div", { class: "card" });
  const replicas = h("div", { class: "card" });
  const graphs = h("div", { class: "card" });
  const invoke = h("div", { class: "card" });
  const logs = h("div", { class: "card" });
  const scaleInput = h("input", { type: "number", min: 0, step: 1, "aria-label": "Replicas", class: "count-input" });
  const scaleForm = h("form", { class: "inline", "aria-label": "Scale" }, h("label", {}, "Replicas", scaleInput), h("button", { type: "submit", class: "secondary" }, "Scale"));
  const deleteButton = h("button", { type: "button", class: "danger" }, "Delete…");
  replace(root,
    h("p", {}, h("a", { href: "#/" }, "← Functions")),
    h("div", { class: "inline" }, h("h1", {}, name), status, h("span", { class: "spacer" }), scaleForm, deleteButton),
    h("div", { class: "grid" }, definition, replicas),
    graphs, invoke, logs);

  scaleForm.addEventListener("submit", async event => {
    event.preventDefault();
    const wanted = Number(scaleInput.value);
    if (!Number.isInteger(wanted) || wanted < 0) { toast("Replicas must be a whole number, 0 or more.", true); return; }
    try {
      await api.scale(name, context.namespace, wanted);
      toast(`Scaling ${name} to ${wanted}.`);
      scaleInput.dataset.edited = "";
      void refresh();
    } catch (error) {
      toast(`Scale failed: ${(error as Error).message}`, true);
    }
  });
  scaleInput.addEventListener("input", () => { scaleInput.dataset.edited = "1"; });
  deleteButton.addEventListener("click", () => confirmDelete(name, async () => {
    try {
      await api.remove(name, context.namespace);
      toast(`Deleted ${name}.`);
      context.go("#/");
    } catch (error) {
      toast(`Delete failed: ${(error as Error).message}`, true);
    }
  }));

  const stopLogs = renderLogs(logs, name, context.namespace);
  renderInvoke(invoke, name, context.namespace, () => void refresh());

  let timer = 0;
  let stopped = false;
  let interval = 10;
  const refresh = async () => {
    clearTimeout(timer);
    try {
      const [fn, history] = await Promise.all([api.function(name, context.namespace), api.history(context.namespace, name)]);
      interval = history.intervalSeconds;
      const points = history.functions[0]?.points ?? [];
      status.textContent = fn.crashLooping ? "crash looping" : fn.availableReplicas > 0 ? "ready" : fn.replicas === 0 ? "scaled to zero" : "starting";
      if (!scaleInput.dataset.edited && document.activeElement !== scaleInput) scaleInput.value = String(fn.replicas);
      drawDefinition(definition, fn);
      drawReplicas(replicas, fn, points);
      drawGraphs(graphs, points, interval);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) { replace(definition, h("p", { class: "bad" }, `${name} does not exist in ${context.namespace}.`)); stopped = true; }
      else if (!stopped) toast(`Could not load ${name}: ${(error as Error).message}`, true);
    }
    if (!stopped) timer = window.setTimeout(refresh, 2000);
  };
  void refresh();
  return () => { stopped = true; clearTimeout(timer); stopLogs(); };
}

function list(map: Record<string, string> | undefined, show: (key: string, value: string) => string = (_, v) => v): Node {
  const entries = Object.entries(map ?? {});
  return entries.length === 0 ? h("span", { class: "muted" }, "none") : h("div", {}, ...entries.map(([k, v]) => h("div", {}, h("code", {}, k), " = ", show(k, v))));
}

function drawDefinition(card: HTMLElement, fn: FunctionStatus): void {
  const scaling = Object.fromEntries(Object.entries(fn.labels).filter(([k]) => k.startsWith("com.openfaas.scale")));
  const resources = (r?: { memory?: string; cpu?: string }) => (r ? [r.memory && `memory ${r.memory}`, r.cpu && `cpu ${r.cpu}`].filter(Boolean).join(", ") || "none" : "none");
  replace(card, h("h2", {}, "Definition"), h("dl", { class: "kv" },
    h("dt", {}, "Image"), h("dd", { "data-field": "image" }, fn.image),
    h("dt", {}, "Process"), h("dd", {}, fn.envProcess || h("span", { class: "muted" }, "the image's")),
    h("dt", {}, "Created"), h("dd", {}, dateTime(fn.createdAt)),
    h("dt", {}, "Environment"), h("dd", { "data-field": "env" }, list(fn.envVars, maskIfSensitive)),
    h("dt", {}, "Secrets"), h("dd", { "data-field": "secrets" }, fn.secrets?.length ? fn.secrets.join(", ") : h("span", { class: "muted" }, "none")),
    h("dt", {}, "Labels"), h("dd", {}, list(Object.fromEntries(Object.entries(fn.labels).filter(([k]) => !k.startsWith("com.openfaas.scale"))))),
    h("dt", {}, "Annotations"), h("dd", {}, list(fn.annotations)),
    h("dt", {}, "Scaling"), h("dd", {}, list(scaling)),
    h("dt", {}, "Limits"), h("dd", {}, resources(fn.limits)),
    h("dt", {}, "Requests"), h("dd", {}, resources(fn.requests)),
    h("dt", {}, "Read-only root"), h("dd", {}, fn.readOnlyRootFilesystem ? "yes" : "no")));
}

function drawReplicas(card: HTMLElement, fn: FunctionStatus, points: HistoryPoint[]): void {
  const coldStarts = points.reduce((sum, p) => sum + p.coldStarts, 0);
  replace(card, h("h2", {}, "Replicas"), h("dl", { class: "kv" },
    h("dt", {}, "Ready / desired"), h("dd", { "data-field": "replicas" }, `${fn.availableReplicas} / ${fn.replicas}`),
    h("dt", {}, "Restarts"), h("dd", { "data-field": "restarts" }, String(fn.restarts ?? 0)),
    h("dt", {}, "Last exit"), h("dd", {}, fn.lastExit ?? h("span", { class: "muted" }, "none")),
    h("dt", {}, "Crash looping"), h("dd", { class: fn.crashLooping ? "bad" : "" }, fn.crashLooping ? "yes" : "no"),
    h("dt", {}, "Invocations"), h("dd", { "data-field": "invocations" }, count(fn.invocationCount)),
    h("dt", {}, "Cold starts (15 min)"), h("dd", { "data-field": "cold-starts" }, String(coldStarts)),
    h("dt", {}, "In flight"), h("dd", {}, String(points.at(-1)?.inFlight ?? 0)),
    h("dt", {}, "Autoscaler"), h("dd", { "data-field": "autoscaler" }, fn.scaling
      ? `${fn.scaling.policy}; last: ${fn.scaling.lastDecision || "no decision yet"}`
      : h("span", { class: "muted" }, "off (com.openfaas.scale.factor=0 or min = max)"))));
}

function drawGraphs(card: HTMLElement, points: HistoryPoint[], interval: number): void {
  const perSecond = (v: number) => v / interval;
  const rate = (v: number) => `${v.toFixed(2)}/s`;
  const total = points.reduce((sum, p) => sum + p.invocations, 0);
  replace(card, h("h2", {}, "Last 15 minutes"),
    h("p", { class: "muted" }, `${points.length} points, one every ${interval} s; ${total} invocations.`),
    h("div", { class: "grid" },
      h("div", {}, h("div", { class: "legend" }, h("span", { class: "k1" }, "invocations/s"), h("span", { class: "k2" }, "errors/s")),
        lineChart([{ values: points.map(p => perSecond(p.invocations)), className: "line" }, { values: points.map(p => perSecond(p.errors)), className: "line2" }], "Invocation and error rate", rate)),
      h("div", {}, h("div", { class: "legend" }, h("span", { class: "k1" }, "p50"), h("span", { class: "k2" }, "p99")),
        lineChart([{ values: points.map(p => p.p50Ms ?? null), className: "line" }, { values: points.map(p => p.p99Ms ?? null), className: "line2" }], "Duration", millis)),
      h("div", {}, h("div", { class: "legend" }, h("span", { class: "k1" }, "desired"), h("span", { class: "k2" }, "ready")),
        lineChart([{ values: points.map(p => p.replicas), className: "line" }, { values: points.map(p => p.availableReplicas), className: "line2" }], "Replicas", v => String(v)))));
}

/** Deleting asks for the function's name to be typed, so a stray Enter cannot delete it. */
function confirmDelete(name: string, confirmed: () => Promise<void>): void {
  const typed = h("input", { "aria-label": `Type ${name} to confirm`, autocomplete: "off" });
  const yes = h("button", { type: "submit", class: "danger", value: "delete", disabled: true }, "Delete");
  const dialog = h("dialog", { "aria-label": `Delete ${name}` },
    h("form", { method: "dialog", class: "stack" },
      h("p", {}, "Delete ", h("strong", {}, name), " and stop its replicas? Type its name to confirm."),
      typed,
      h("div", { class: "inline" }, yes, h("button", { type: "button", class: "secondary", onclick: () => dialog.close("cancel") }, "Cancel"))));
  typed.addEventListener("input", () => { yes.disabled = typed.value !== name; });
  dialog.addEventListener("close", () => {
    if (dialog.returnValue === "delete" && typed.value === name) void confirmed();
    dialog.remove();
  });
  document.body.appendChild(dialog);
  dialog.showModal();
  typed.focus();
}
