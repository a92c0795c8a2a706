// Builds the page into dist/: one script and one style sheet bundled by
// esbuild from src/, and index.html. Run with `npm run build`; rustbelt
// embeds dist/ when it is compiled afterwards.
import { build } from "esbuild";
import { copyFile, mkdir, readdir, rm } from "node:fs/promises";
import { join } from "node:path";

const out = "dist";
const keep = "placeholder.txt"; // committed, so that go:embed finds the folder

await mkdir(out, { recursive: true });
for (const name of await readdir(out)) {
  if (name !== keep) await rm(join(out, name), { recursive: true });
}
await build({
  entryPoints: { app: "src/main.js" },
  bundle: true,
  minify: true,
  format: "esm",
  target: "es2020",
  outdir: out,
  legalComments: "linked",
  logLevel: "warning",
});
await copyFile("src/index.html", join(out, "index.html"));
console.log(`built ${(await readdir(out)).filter((n) => n !== keep).join(", ")} into ${out}/`);
