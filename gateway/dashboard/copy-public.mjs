// Copies the static files (the page, its styles, its icon) beside the compiled scripts in dist/, and announces every
// script in the page (modulepreload): otherwise the browser finds the modules one import level at a time, a round
// trip per level (main.js, then the views, then what they import).
import { cpSync, readdirSync, readFileSync, writeFileSync } from "node:fs";

const dist = new URL("./dist/", import.meta.url);
cpSync(new URL("./public/", import.meta.url), dist, { recursive: true });

const entry = '<script type="module" src="main.js"></script>';
const modules = readdirSync(dist, { recursive: true })
  .map((file) => file.split("\\").join("/"))
  .filter((file) => file.endsWith(".js") && file !== "main.js")
  .sort();
const page = new URL("./index.html", dist);
const html = readFileSync(page, "utf8");
if (!html.includes(entry)) {
  throw new Error(`public/index.html must load its scripts with ${entry}`);
}
const preloads = modules.map((file) => `<link rel="modulepreload" href="${file}">`).join("\n  ");
writeFileSync(page, html.replace(entry, `${entry}\n  ${preloads}`));
