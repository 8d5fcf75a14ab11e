import { api, ApiError } from "../api.js";
import { h, replace } from "../dom.js";

/** The sign-in form: the gateway's admin user and password, exchanged for a session cookie the page cannot read. */
export function renderSignIn(root: HTMLElement, done: (user: string) => void): void {
  const user = h("input", { name: "user", autocomplete: "username", value: "admin", required: true });
  const password = h("input", { name: "password", type: "password", autocomplete: "current-password", required: true });
  const message = h("p", { class: "bad", role: "alert" });
  const button = h("button", { type: "submit" }, "Sign in");
  const form = h("form", { class: "card stack signin", "aria-label": "Sign in" },
    h("h1", {}, "Sign in"),
    h("p", { class: "muted" }, "The gateway's admin user and password (faas login uses the same)."),
    h("label", {}, "User", user),
    h("label", {}, "Password", password),
    message,
    button);
  form.addEventListener("submit", async event => {
    event.preventDefault();
    button.disabled = true;
    message.textContent = "";
    try {
      await api.signIn(user.value, password.value);
      password.value = "";
      done(user.value);
    } catch (error) {
      message.textContent = error instanceof ApiError && error.status === 401 ? "Wrong user or password." : `Sign-in failed: ${(error as Error).message}`;
      password.select();
    } finally {
      button.disabled = false;
    }
  });
  replace(root, form);
  password.focus();
}
