// Build Cairn's vendored GOV.UK Frontend assets.
//
//   cd frontend && npm ci && npm run build
//
// Writes to ../static/vendor/govuk-frontend/:
//   cairn.min.css            cairn.scss compiled (compressed, no source map)
//   govuk-frontend.min.js    copied verbatim from the package (ES module)
//   LICENSE.txt              GOV.UK Frontend's MIT licence (see below)
//   VERSION                  exact govuk-frontend version
//
// Nothing from the package's dist/govuk/assets/ folder (GDS Transport fonts,
// crown/crest favicons and icons) is copied. The build then checks the CSS and
// fails if GOV.UK branding or unexpected url() references slipped through.

import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve("govuk-frontend/package.json"));
const dist = join(pkgDir, "dist", "govuk");
const outDir = join(here, "..", "static", "vendor", "govuk-frontend");
const { version } = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));

mkdirSync(outDir, { recursive: true });

// 1. CSS
const result = sass.compile(join(here, "cairn.scss"), {
  style: "compressed",
  sourceMap: false,
  importers: [new sass.NodePackageImporter(here)],
});
const css = result.css + "\n";
writeFileSync(join(outDir, "cairn.min.css"), css);

// 2. JS, verbatim. Its trailing `//# sourceMappingURL=` comment is not at the
// start of a line, so Django's ManifestStaticFilesStorage ignores it and the
// .map file is not needed (browser devtools may log a harmless 404 for it).
copyFileSync(join(dist, "govuk-frontend.min.js"), join(outDir, "govuk-frontend.min.js"));

// 3. Licence. The npm tarball of govuk-frontend does not include LICENSE.txt
// (it lives at the root of the alphagov/govuk-frontend monorepo), so a verbatim
// copy of the upstream file is kept beside this script.
copyFileSync(join(here, "LICENSE-govuk-frontend.txt"), join(outDir, "LICENSE.txt"));

// 4. Version
writeFileSync(join(outDir, "VERSION"), `${version}\n`);

// 5. Checks
const problems = [];
if (/GDS Transport/i.test(css)) problems.push('CSS mentions "GDS Transport"');
if (/@font-face/i.test(css)) problems.push("CSS contains @font-face");
for (const selector of [".govuk-header", ".govuk-generic-header", ".govuk-error-summary",
  ".govuk-skip-link", ".govuk-button", ".cairn-logo", ".cairn-hero"]) {
  if (!css.includes(selector)) problems.push(`CSS lacks ${selector}`);
}
const urls = [...css.matchAll(/url\(([^)]*)\)/g)].map((m) => m[1]);
// GOV.UK Frontend's only url()s are inline data: SVGs (select chevron etc.).
const external = urls.filter((u) => !/^["']?data:/.test(u));
if (external.length) problems.push(`CSS references external url()s: ${external.join(", ")}`);
if (/crest|crown|govuk-icon|favicon|opengraph/i.test(urls.join(" "))) {
  problems.push("CSS references a GOV.UK branded image");
}

if (problems.length) {
  console.error(`Build check failed:\n  - ${problems.join("\n  - ")}`);
  process.exit(1);
}
console.log(`Built govuk-frontend ${version} for Cairn -> ${outDir}`);
console.log(`  cairn.min.css: ${css.length} bytes, url() refs: ${urls.length}${urls.length ? " (all data: URIs)" : ""}`);
