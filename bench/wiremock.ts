import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { defaultPolicy } from "../protocol/values.ts";

/**
 * WireMock for the wire bench: the comparison a reader of the issue would make ("WireMock's templated stub").
 * The standalone jar comes from the npm package `wiremock`, fetched on demand into a cache outside the repo
 * (it is not a project dependency: the bench alone needs it, and only where Java is installed).
 */
export const WIREMOCK_VERSION = "3.13.2";
const CACHE = process.env.HEARTLOCK_BENCH_CACHE ?? join(homedir(), ".cache", "heartlock-bench", "wiremock");
const JAR = join(CACHE, "node_modules", "wiremock", "build", `wiremock-standalone-${WIREMOCK_VERSION}.jar`);

export interface WireMock {
  readonly url: string;
  readonly child: ChildProcess;
  /** Stops the JVM and removes its root folder. */
  stop(): void;
}

/** Why WireMock cannot run here (no java, no jar), or undefined when it can. */
export function wireMockUnavailable(): string | undefined {
  if (spawnSync("java", ["-version"]).error) return "java is not installed (sudo apt-get install -y openjdk-17-jre-headless)";
  if (!existsSync(JAR)) {
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const out = spawnSync(npm, ["install", "--prefix", CACHE, "--no-save", "--no-audit", "--no-fund", `wiremock@${WIREMOCK_VERSION}`], { encoding: "utf8" });
    if (out.status !== 0 || !existsSync(JAR)) return `could not fetch wiremock@${WIREMOCK_VERSION} from npm into ${CACHE}: ${(out.stderr || "").trim().split("\n").pop() ?? ""}`;
  }
  return undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * The stub ("WireMock's templated stub"): POST /v1/devices/{id}/heartbeat answered with a body shaped like Heartlock's heartbeat answer (same
 * keys, same sizes), the request's nonce echoed and the times rendered per request by Handlebars, so WireMock
 * parses the JSON body and templates an answer as Heartlock does. It cannot sign: both signatures are constants of
 * the real ones' lengths (43 and 86 base64url characters).
 */
function heartbeatStub(): unknown {
  return { request: { method: "POST", urlPathPattern: "/v1/devices/[^/]+/heartbeat" }, response: { ...answer(templatedBody()), transformers: ["response-template"] } };
}

/** The same answer as one constant (the request's nonce not echoed): WireMock at its cheapest, under STATIC_PREFIX. */
export const STATIC_PREFIX = "/static";
function staticStub(): unknown {
  const body = templatedBody()
    .replace("{{request.path.[2]}}", "dev")
    .replace(/\{\{now [^}]*\}\}/g, "2026-12-02T12:00:00.000Z")
    .replace(/\{\{[^}]*\}\}/g, "n1-1");
  return { request: { method: "POST", urlPathPattern: `${STATIC_PREFIX}/v1/devices/[^/]+/heartbeat` }, response: answer(body) };
}

const answer = (body: string) => ({ status: 200, headers: { "content-type": "application/json" }, body });

function templatedBody(): string {
  const body = [
    `{"command":{"id":"{{request.path.[2]}}-0","type":"none"}`,
    `"nextHeartbeatAt":"{{now offset='6 hours' format="yyyy-MM-dd'T'HH:mm:ss.SSS'Z'"}}"`,
    `"nonce":"{{jsonPath request.body '$.nonce'}}"`,
    `"policy":${JSON.stringify(defaultPolicy)}`,
    `"serverTime":"{{now format="yyyy-MM-dd'T'HH:mm:ss.SSS'Z'"}}"`,
    `"standing":"good"`,
    `"serverSignature":"${"s".repeat(86)}"`,
    `"signature":"${"h".repeat(43)}"}`,
  ].join(",");
  return body;
}

/**
 * Starts WireMock on a free loopback port with the stub registered. The request journal is off (WireMock's own
 * advice for load tests; otherwise it keeps every request and slows as it grows), so this is WireMock at its
 * fastest; its thread pools keep their defaults. The JVM is not warmed here: the caller's warm-up rounds do it.
 */
export async function startWireMock(): Promise<WireMock> {
  const port = await freePort();
  const root = mkdtempSync(join(tmpdir(), "heartlock-wiremock-"));
  const child = spawn("java", ["-jar", JAR, "--port", String(port), "--bind-address", "127.0.0.1", "--disable-banner", "--no-request-journal", "--root-dir", root], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<never>((_, reject) => child.once("exit", (code) => reject(new Error(`WireMock exited with ${code}`))));
  const up = (async () => {
    for (let i = 0; i < 600; i++) {
      try {
        for (const stub of [heartbeatStub(), staticStub()]) {
          const created = await fetch(`${url}/__admin/mappings`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(stub) });
          if (created.status !== 201) throw new Error(`WireMock refused the stub: ${created.status} ${await created.text()}`);
        }
        return;
      } catch (error) {
        if (error instanceof Error && error.message.startsWith("WireMock refused")) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    throw new Error("WireMock did not start within 60 s");
  })();
  await Promise.race([up, exited]);
  exited.catch(() => {}); // its exit after stop() is expected
  return {
    url,
    child,
    stop: () => {
      child.kill("SIGTERM");
      rmSync(root, { recursive: true, force: true });
    },
  };
}
