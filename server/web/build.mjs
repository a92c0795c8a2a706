// Builds the page into dist/: one script and one style sheet bundled by
// esbuild from src/, and index.html. Run with `npm run build` after
// `npm ci`; the output depends only on src/ and the lock file, byte for
// byte, and dist/ is committed so that go build and go install embed it
// without Node. scripts/deps/40-web.sh checks that the committed dist/ is
// what this builds: `node build.mjs DIR` builds into DIR instead.
import { build } from "esbuild";
import { copyFile, mkdir, readdir, rm } from "node:fs/promises";
import { join } from "node:path";

const out = process.argv[2] ?? "dist";

await mkdir(out, { recursive: true });
if (out === "dist") {
  // Everything in dist/ is replaced, so that a file the build no longer
  // makes does not linger in the commit.
  for (const name of await readdir(out)) {
    await rm(join(out, name), { recursive: true });
  }
} else if ((await readdir(out)).length > 0) {
  // Never empty a folder named on the command line.
  console.error(`build.mjs: ${out} is not empty`);
  process.exit(1);
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
console.log(`built ${(await readdir(out)).join(", ")} into ${out}/`);
