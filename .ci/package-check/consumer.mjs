// A plain ES module in a project that installed the packed tarball (no TypeScript anywhere): it imports
// `heartlock` and `heartlock/client`, plays a library scenario, then starts `heartlock serve` on a free port,
// plays check-in and a signed heartbeat against it over HTTP, loads the studio's page and the files it and the API
// docs are served from (the CLI runs from its bundle, which must find them beside the unbundled modules), and
// stops the server.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { libraryNames, planFromFile, runScenario } from "heartlock";
import { createClient, fetchTransport, verifyResponse } from "heartlock/client";

// Thrown, not process.exit: a failure while `heartlock serve` runs must still reach the `finally` that stops it.
const fail = (message) => {
  throw new Error(`consumer.mjs: ${message}`);
};

if (!libraryNames().includes("missed-payment-lock")) fail("the scenario library is missing from the package");
const result = await runScenario(planFromFile("missed-payment-lock"));
if (!result.passed) fail("missed-payment-lock did not pass");

const bin = createRequire(import.meta.url).resolve("heartlock/package.json").replace(/package\.json$/, "bin/heartlock.js");
const keys = { HEARTLOCK_ADMIN_KEY: "ci-admin", HEARTLOCK_SUPPORT_KEY: "ci-support", HEARTLOCK_LENDER_KEYS: "lender-ci:ci-lender" };
const server = spawn(process.execPath, [bin, "serve"], { env: { ...process.env, ...keys, PORT: "0", HEARTLOCK_CLOCK: "manual" }, stdio: ["ignore", "pipe", "inherit"] });
try {
  let out = "";
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`heartlock serve printed no URL in 60 s:\n${out}`)), 60_000);
    server.stdout.on("data", (chunk) => {
      out += chunk;
      const match = /URL\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    server.once("exit", (code) => reject(new Error(`heartlock serve exited with ${code}:\n${out}`)));
  });
  const client = createClient({ transport: fetchTransport(url) });
  const imei = "353958031213269";
  await client.as("ci-lender").registerDevice({ body: { imei, accountId: "ci-acct", contact: { phone: "+4930123456" } } });
  const checkin = await client.checkin({ body: { identifiers: [{ type: "imei", value: imei }] } });
  if (checkin.status !== "ready") fail(`check-in answered ${checkin.status}`);
  const beat = await client.as(checkin.deviceToken).heartbeat({ params: { deviceId: checkin.deviceId }, body: { seq: 1, state: "active", nonce: "ci-1" } });
  if (!verifyResponse(beat, checkin.deviceSecret)) fail("the heartbeat's signature does not verify");
  const studioLink = /studio\s+(http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(out)?.[1];
  if (!studioLink) fail(`heartlock serve printed no studio link:\n${out}`);
  const entry = await fetch(studioLink, { redirect: "manual" });
  const cookie = entry.headers.get("set-cookie")?.split(";")[0];
  if (!cookie) fail(`the studio link answered ${entry.status} with no cookie`);
  const page = await (await fetch(`${url}/`, { headers: { cookie } })).text();
  const assets = [...page.matchAll(/(?:src|href)="(\/[^"]+)"/g)].map((match) => match[1]);
  if (!assets.includes("/studio/app.js")) fail(`the studio page names no /studio/app.js:\n${page.slice(0, 500)}`);
  for (const path of [...assets, "/openapi.json", "/docs/assets/swagger-ui-bundle.js"]) {
    const reply = await fetch(`${url}${path}`, { headers: { cookie } });
    const body = await reply.arrayBuffer();
    if (reply.status !== 200 || body.byteLength === 0) fail(`GET ${path} answered ${reply.status} with ${body.byteLength} bytes`);
  }
  console.log(`consumer.mjs on node ${process.version}: scenario passed; heartbeat ${beat.command.type}, signature verified; studio page and ${assets.length + 2} files served, against ${url}`);
} finally {
  server.kill("SIGTERM");
}
