import { spawn, type ChildProcess } from "node:child_process";
import { createServer, request, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT, type Io } from "../cli/io.ts";
import { main } from "../cli/main.ts";

/**
 * Conformance against "another" implementation: a second Heartlock server as a child process (a free port,
 * a manual clock the rules drive through /v1/sim/clock), and two broken wrappers around it that the run
 * must catch: one forgets to sign heartbeat answers, one answers a replayed seq with the earlier 200.
 */
const BIN = join(fileURLToPath(new URL("..", import.meta.url)), "bin", "heartlock.js");
let server: ChildProcess | undefined;
let target = "";
const proxies: Server[] = [];

function startServe(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, "serve"], {
      env: { ...process.env, PORT: "0", HOST: "127.0.0.1", HEARTLOCK_CLOCK: "manual", HEARTLOCK_ADMIN_KEY: "admin-key", HEARTLOCK_SUPPORT_KEY: "support-key", HEARTLOCK_LENDER_KEYS: "lender-a:lender-a-key" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    server = child;
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const url = /URL\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      if (url) resolve(url);
    });
    child.on("exit", (code) => reject(new Error(`heartlock serve exited ${String(code)}: ${out}`)));
  });
}

/** A wrapper that passes everything to the real server, except that it breaks heartbeat answers as told. */
function brokenProxy(breakage: "unsigned" | "replay-200"): Promise<string> {
  const upstream = new URL(target);
  const lastAnswer = new Map<string, string>();
  const proxy = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const body = Buffer.concat(chunks);
      const heartbeat = /\/heartbeat$/.test(incoming.url ?? "");
      const forward = request({ host: upstream.hostname, port: upstream.port, path: incoming.url, method: incoming.method, headers: incoming.headers }, (answer: IncomingMessage) => {
        const parts: Buffer[] = [];
        answer.on("data", (chunk: Buffer) => parts.push(chunk));
        answer.on("end", () => {
          let text = Buffer.concat(parts).toString();
          let status = answer.statusCode ?? 502;
          if (heartbeat && breakage === "unsigned" && status === 200) text = JSON.stringify({ ...(JSON.parse(text) as object), signature: "" });
          if (heartbeat && breakage === "replay-200") {
            if (status === 200) lastAnswer.set(incoming.url ?? "", text);
            else if (status === 409 && lastAnswer.has(incoming.url ?? "")) [status, text] = [200, lastAnswer.get(incoming.url ?? "") ?? ""];
          }
          const type = status === 200 && heartbeat ? "application/json" : (answer.headers["content-type"] ?? "application/json");
          outgoing.writeHead(status, { "content-type": type });
          outgoing.end(text);
        });
      });
      forward.end(body);
    });
  });
  proxies.push(proxy);
  return new Promise((resolve) => proxy.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}`)));
}

async function conformance(url: string) {
  let stdout = "";
  let stderr = "";
  const io: Io = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), stdoutIsTty: false, stderrIsTty: false, env: {}, writeFile: () => undefined };
  const code = await main(["conformance", "--target", url, "--reporter", "json"], io);
  const report = stdout ? (JSON.parse(stdout) as { rules: { id: string; status: string; detail?: string }[] }) : { rules: [] };
  return { code, stderr, failed: report.rules.filter((rule) => rule.status === "failed"), rules: report.rules };
}

describe("heartlock conformance", { timeout: 60_000 }, () => {
  beforeAll(async () => {
    target = await startServe();
  }, 60_000);

  afterAll(async () => {
    for (const proxy of proxies) proxy.close();
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server?.once("exit", resolve));
      server.kill("SIGTERM");
      await exited;
    }
  });

  it("passes every rule against a second Heartlock server", async () => {
    const { code, failed, rules } = await conformance(target);
    expect(failed).toEqual([]);
    expect(code).toBe(EXIT.ok);
    expect(rules.length).toBeGreaterThanOrEqual(12);
  });

  it("catches a server that forgets to sign its heartbeat answers", async () => {
    const { code, failed } = await conformance(await brokenProxy("unsigned"));
    expect(code).toBe(EXIT.failed);
    expect(failed.map((rule) => rule.id)).toContain("heartbeat.signed");
    expect(failed.find((rule) => rule.id === "heartbeat.signed")?.detail).toBe("the signature does not verify under the deviceSecret");
  });

  it("catches a server that answers a replayed seq with 200", async () => {
    const { code, failed } = await conformance(await brokenProxy("replay-200"));
    expect(code).toBe(EXIT.failed);
    expect(failed.map((rule) => rule.id)).toEqual(["heartbeat.replay"]);
  });

  it("an unreachable target is one line and exit 2", async () => {
    const { code, stderr } = await conformance("http://127.0.0.1:9");
    expect(code).toBe(EXIT.invalid);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/^heartlock conformance: http:\/\/127\.0\.0\.1:9 cannot be reached/);
  });
});
