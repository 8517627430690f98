import { BIN } from "../cli/heartlock-child.ts";
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, request, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * "Another" implementation of PROTOCOL.md for tests: a second Heartlock server as a child process (a free
 * port, a manual clock the caller drives through /v1/sim/clock), and broken wrappers around it that a
 * conformance or --target run must catch: one forgets to sign heartbeat answers, one answers a replayed seq
 * with the earlier 200.
 */

export interface Served {
  readonly url: string;
  stop(): Promise<void>;
}

export function startServe(lenderKeys = "lender-a:lender-a-key"): Promise<Served> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [BIN, "serve"], {
      env: { ...process.env, PORT: "0", HOST: "127.0.0.1", HEARTLOCK_CLOCK: "manual", HEARTLOCK_ADMIN_KEY: "admin-key", HEARTLOCK_SUPPORT_KEY: "support-key", HEARTLOCK_LENDER_KEYS: lenderKeys },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const stop = async (): Promise<void> => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((done) => child.once("exit", done));
      child.kill("SIGTERM");
      await exited;
    };
    let out = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const url = /URL\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      if (url) resolve({ url, stop });
    });
    child.on("exit", (code) => reject(new Error(`heartlock serve exited ${String(code)}: ${out}`)));
  });
}

export interface Proxy {
  readonly url: string;
  close(): void;
}

/** A wrapper that passes everything to the real server, except that it breaks heartbeat answers as told. */
export function brokenProxy(target: string, breakage: "unsigned" | "replay-200"): Promise<Proxy> {
  const upstream = new URL(target);
  const lastAnswer = new Map<string, string>();
  const proxy: Server = createServer((incoming, outgoing) => {
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
  return new Promise((resolve) => proxy.listen(0, "127.0.0.1", () => resolve({ url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`, close: () => proxy.close() })));
}
