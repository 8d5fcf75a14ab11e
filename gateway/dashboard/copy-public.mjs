// Copies the static files (the page, its styles, its icon) beside the compiled scripts in dist/.
import { cpSync } from "node:fs";
cpSync(new URL("./public/", import.meta.url), new URL("./dist/", import.meta.url), { recursive: true });
