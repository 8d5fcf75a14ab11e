// The dashboard's shell: sign-in, the namespace picker, and a hash router over the views. Each view gets the element
// to draw in and returns how to stop (its polling, its log stream) when the page moves on.
import { api, whenSignedOut } from "./api.js";
import { replace } from "./dom.js";
import { renderSignIn } from "./views/signin.js";
import { renderFunctions } from "./views/functions.js";
import { renderFunction } from "./views/function.js";
import { renderAsync } from "./views/async.js";
import { renderStore } from "./views/store.js";

export interface Context { namespace: string; go: (hash: string) => void }
export type View = (root: HTMLElement, context: Context) => () => void;

const view = document.getElementById("view")!;
const namespaceSelect = document.getElementById("namespace") as HTMLSelectElement;
const context: Context = { namespace: "", go: hash => { location.hash = hash; } };
let stop: () => void = () => {};

function route(): { view: View; title: string } {
  const hash = location.hash.replace(/^#/, "") || "/";
  const fn = /^\/function\/([^/]+)$/.exec(hash);
  if (fn) return { view: (root, c) => renderFunction(root, c, decodeURIComponent(fn[1])), title: decodeURIComponent(fn[1]) };
  if (hash === "/async") return { view: renderAsync, title: "Async" };
  if (hash === "/store") return { view: renderStore, title: "Store" };
  return { view: renderFunctions, title: "Functions" };
}

function show(): void {
  stop();
  const { view: render, title } = route();
  document.title = `${title} · FaaS`;
  for (const link of document.querySelectorAll<HTMLAnchorElement>("#nav a")) {
    const here = link.getAttribute("href") === (location.hash || "#/") || (link.getAttribute("href") === "#/" && location.hash.startsWith("#/function/"));
    if (here) link.setAttribute("aria-current", "page"); else link.removeAttribute("aria-current");
  }
  replace(view);
  stop = render(view, context);
  view.focus({ preventScroll: true });
}

async function signedIn(user: string): Promise<void> {
  for (const id of ["nav", "namespace-picker", "user", "sign-out"]) document.getElementById(id)!.hidden = false;
  document.getElementById("user")!.textContent = user;
  const namespaces = await api.namespaces();
  const remembered = sessionStorage.getItem("namespace");
  context.namespace = namespaces.includes(remembered ?? "") ? remembered! : (namespaces.includes("openfaas-fn") ? "openfaas-fn" : namespaces[0] ?? "");
  replace(namespaceSelect, ...namespaces.map(ns => { const option = new Option(ns, ns); option.selected = ns === context.namespace; return option; }));
  window.addEventListener("hashchange", show);
  show();
}

function signedOut(): void {
  stop();
  stop = () => {};
  window.removeEventListener("hashchange", show);
  for (const id of ["nav", "namespace-picker", "user", "sign-out"]) document.getElementById(id)!.hidden = true;
  replace(view);
  renderSignIn(view, user => void signedIn(user));
}

namespaceSelect.addEventListener("change", () => {
  context.namespace = namespaceSelect.value;
  sessionStorage.setItem("namespace", context.namespace);
  if (location.hash.startsWith("#/function/")) location.hash = "#/"; else show();
});

document.getElementById("sign-out")!.addEventListener("click", async () => {
  await api.signOut().catch(() => undefined);
  signedOut();
});

whenSignedOut(signedOut);
const session = await api.session();
if (session) await signedIn(session.user); else signedOut();
