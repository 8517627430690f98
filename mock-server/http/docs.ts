import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Hono } from "hono";

/**
 * `/docs`: Swagger UI over `/openapi.json`, with its script and styles served from local files, so the page
 * works offline and never calls a CDN. The installed package carries the two files (and Swagger UI's licence)
 * in ./swagger-ui/ beside this module, copied there at build time (scripts/build.mjs); a clone reads them from
 * the swagger-ui-dist dev dependency. swagger-ui-dist is not a runtime dependency because it pulls in
 * @scarf/scarf, whose install script reports installs over the network.
 */
export const DOCS_ASSETS: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
};

function assetsRoot(): string {
  const bundled = fileURLToPath(new URL("./swagger-ui/", import.meta.url));
  if (existsSync(bundled)) return bundled;
  return dirname(createRequire(import.meta.url).resolve("swagger-ui-dist/package.json"));
}

const page = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Heartlock API — docs</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="docs"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>`;

// validatorUrl null: Swagger UI would otherwise send the document to an online validator.
const init = `window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#docs", validatorUrl: null, deepLinking: true, tryItOutEnabled: true });`;

/** Mounts the page on a lock service app (createApp's `pages` option) and returns the paths it routed. */
export function mountDocs(app: Hono): readonly string[] {
  let root: string | undefined;
  app.get("/docs", (c) => c.html(page));
  app.get("/docs/init.js", (c) => c.body(init, 200, { "content-type": "text/javascript; charset=utf-8" }));
  app.get("/docs/assets/:file", async (c) => {
    const file = c.req.param("file");
    const type = DOCS_ASSETS[file];
    if (!type) return c.notFound();
    root ??= assetsRoot();
    const body = await readFile(join(root, file));
    return c.body(body, 200, { "content-type": type, "cache-control": "public, max-age=3600" });
  });
  return ["/docs", "/docs/init.js", "/docs/assets/:file"];
}
