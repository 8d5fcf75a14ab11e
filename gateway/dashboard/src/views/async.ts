import { api, AsyncQueues, DeadLetter } from "../api.js";
import { h, replace, toast } from "../dom.js";
import { dateTime } from "../format.js";
import type { Context } from "../main.js";

/** The async queue per function (waiting, running, retried, dead-lettered, done) and a function's dead letters, each re-drivable. */
export function renderAsync(root: HTMLElement, context: Context): () => void {
  const state = h("p", { class: "muted" });
  const body = h("tbody");
  const letters = h("div", { class: "card", hidden: true });
  replace(root, h("h1", {}, "Async"), state,
    h("div", { class: "table-wrap" }, h("table", { "aria-label": "Async queues" },
      h("thead", {}, h("tr", {}, h("th", {}, "Function"), h("th", { class: "num" }, "Waiting"), h("th", { class: "num" }, "In flight"),
        h("th", { class: "num" }, "Retries"), h("th", { class: "num" }, "Dead-lettered"), h("th", { class: "num" }, "Done"), h("th", {}, ""))),
      body)),
    h("p", { class: "muted" }, "Retries, dead-lettered and done count since the gateway started; waiting is the queue now."),
    letters);

  const showLetters = async (name: string) => {
    letters.hidden = false;
    let list: DeadLetter[];
    try {
      list = await api.deadLetters(name, context.namespace);
    } catch (error) {
      replace(letters, h("p", { class: "bad" }, `Could not list dead letters: ${(error as Error).message}`));
      return;
    }
    replace(letters, h("h2", {}, `Dead letters of ${name}`),
      list.length === 0 ? h("p", { class: "muted" }, "None.") : h("div", { class: "table-wrap" }, h("table", { "aria-label": `Dead letters of ${name}` },
        h("thead", {}, h("tr", {}, h("th", {}, "Call"), h("th", {}, "Reason"), h("th", { class: "num" }, "Attempts"), h("th", { class: "hide-narrow" }, "Dead since"), h("th", {}, ""))),
        h("tbody", {}, ...list.map(letter => h("tr", { "data-call": letter.callId },
          h("td", {}, h("code", {}, letter.callId), h("div", { class: "muted" }, `${letter.method} ${letter.path} · ${letter.bodyBytes} bytes`)),
          h("td", {}, letter.reason),
          h("td", { class: "num" }, String(letter.attempts)),
          h("td", { class: "hide-narrow" }, letter.deadAt ? dateTime(letter.deadAt) : "–"),
          h("td", {}, letter.notRedrivable
            ? h("span", { class: "muted", title: letter.notRedrivable }, "cannot re-drive")
            : h("button", { type: "button", class: "secondary", onclick: () => void redrive(name, letter) }, "Re-drive"))))))));
  };
  const redrive = async (name: string, letter: DeadLetter) => {
    try {
      await api.redrive(name, context.namespace, letter.id);
      toast(`Call ${letter.callId} queued again.`);
      await showLetters(name);
    } catch (error) {
      toast(`Re-drive failed: ${(error as Error).message}`, true);
    }
  };

  let timer = 0;
  let stopped = false;
  const refresh = async () => {
    try {
      const queues: AsyncQueues = await api.asyncQueues(context.namespace);
      state.textContent = queues.problem ? `Queue unavailable: ${queues.problem}` : `Queue: ${queues.queue}`;
      state.className = queues.problem ? "bad" : "muted";
      replace(body, ...queues.functions.map(f => h("tr", { "data-function": f.name },
        h("td", {}, f.name),
        h("td", { class: "num", "data-field": "depth" }, f.depth === null ? "?" : String(f.depth)),
        h("td", { class: "num" }, String(f.inFlight)),
        h("td", { class: "num", "data-field": "retries" }, String(f.retries)),
        h("td", { class: "num", "data-field": "dead-lettered" }, String(f.deadLettered)),
        h("td", { class: "num", "data-field": "completed" }, String(f.completed)),
        h("td", {}, h("button", { type: "button", class: "secondary", "aria-label": `Dead letters of ${f.name}`, onclick: () => void showLetters(f.name) }, "Dead letters")))));
    } catch (error) {
      if (!stopped) toast(`Could not load the queue: ${(error as Error).message}`, true);
    }
    if (!stopped) timer = window.setTimeout(refresh, 2000);
  };
  void refresh();
  return () => { stopped = true; clearTimeout(timer); };
}
