import { randomBytes, timingSafeEqual } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { simpleProblem } from "../mock-server/http/problem-response.ts";

/**
 * Who may drive the studio, and from where (README "Security model"). Three checks, in this order:
 *
 * 1. Host: only the names the server was bound to, loopback names, and any the facilitator allowed for a
 *    workshop on a LAN. A page at `attacker.test` that its DNS points at 127.0.0.1 (DNS rebinding) sends
 *    `Host: attacker.test` and is refused before anything runs.
 * 2. Origin / Sec-Fetch-Site: a request a browser sends on behalf of another page (CSRF) says so; it is
 *    refused. A page on `localhost:9999` is "same-site" for cookies but not the same origin, so SameSite
 *    alone would not stop it.
 * 3. Credential: `/studio/api/*`, `/studio/export/*` and `/studio/handout` need the session cookie (got by opening the URL the
 *    server printed, which carries the studio token, as Jupyter does) or `Authorization: Bearer <admin key>`.
 *
 * The `/v1` API keeps its own bearer tokens (PROTOCOL.md); it gets checks 1 and 2 as well.
 */
export interface StudioAccessOptions {
  /** The admin key: scripts may use it instead of the cookie. */
  readonly adminKey: string;
  /** The token printed in the studio's URL; generated when not given. */
  readonly token?: string;
  /** Names besides loopback the Host header may carry (the bound address, a LAN name); "*" allows any. */
  readonly allowedHosts?: readonly string[];
}

export interface StudioAccess {
  /** The secret part of the printed URL: `/?token=…`. */
  readonly token: string;
  readonly middleware: MiddlewareHandler;
  /** True when any Host is allowed (the banner warns). */
  readonly anyHost: boolean;
}

const LOOPBACK = ["127.0.0.1", "localhost", "[::1]", "::1"];
/** The cookie is named per port: two studios on one machine would otherwise log each other out. */
const cookieName = (port: string) => `heartlock_studio_${port || "80"}`;
/** The pages a browser opens: each takes the printed ?token= (then drops it from the address) or needs the session. */
const PAGES = new Set(["/", "/gallery"]);

/** Sessions a server hands out before it forgets the oldest (each page load through the token URL makes one). */
const MAX_SESSIONS = 1000;

export function studioAccess(options: StudioAccessOptions): StudioAccess {
  const token = options.token ?? randomBytes(24).toString("base64url");
  const extra = (options.allowedHosts ?? []).map((host) => host.trim().toLowerCase()).filter(Boolean);
  const anyHost = extra.includes("*");
  const allowed = new Set([...LOOPBACK, ...extra.filter((host) => host !== "0.0.0.0" && host !== "::" && host !== "[::]")]);
  const sessions = new Set<string>();

  const hostAllowed = (hostname: string) => anyHost || allowed.has(hostname.toLowerCase());
  const credentialOk = (c: Context, port: string): boolean => {
    const bearer = c.req.header("authorization")?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
    if (bearer !== undefined && same(bearer, options.adminKey)) return true;
    const session = readCookie(c.req.header("cookie"), cookieName(port));
    return session !== undefined && sessions.has(session);
  };

  // Every request names its Host, and a server hears the same few (its own address, a LAN name): the verdict on
  // each is kept (bounded; a flood of made-up names only empties the memo), so a heartbeat parses no Host URL.
  const hosts = new Map<string, Host | undefined>();
  const hostOf = (header: string): Host | undefined => {
    if (hosts.has(header)) return hosts.get(header);
    const url = safeUrl(`http://${header}`);
    const host = url && { hostname: url.hostname, host: url.host, port: url.port };
    if (hosts.size >= MAX_HOSTS) hosts.clear();
    hosts.set(header, host);
    return host;
  };

  const middleware: MiddlewareHandler = async (c, next) => {
    const url = requestUrl(c.req.url);
    const hostHeader = c.req.header("host");
    const host = hostHeader === undefined ? url.parsed() : hostOf(hostHeader);
    if (!host || !hostAllowed(host.hostname)) {
      return simpleProblem(403, "forbidden", `This studio answers to ${[...allowed].join(", ")} only, not "${hostHeader ?? ""}" (set HEARTLOCK_ALLOWED_HOSTS for a workshop on a LAN).`);
    }
    const origin = c.req.header("origin");
    if (origin !== undefined && origin !== `${url.protocol}//${host.host}`) {
      return simpleProblem(403, "forbidden", `Requests from another origin (${origin}) are refused.`);
    }
    const site = c.req.header("sec-fetch-site");
    if (site === "cross-site" || site === "same-site") {
      return simpleProblem(403, "forbidden", "Requests made by another site's page are refused.");
    }

    const path = url.pathname;
    // The pages open from the printed link, or from the same link with /gallery for the copy gallery.
    if (PAGES.has(path) && c.req.method === "GET") {
      const given = url.parsed().searchParams.get("token");
      if (given !== null) {
        if (!same(given, token)) return unauthorizedPage(401);
        const session = randomBytes(24).toString("base64url");
        if (sessions.size >= MAX_SESSIONS) sessions.delete(sessions.values().next().value as string);
        sessions.add(session);
        // The token leaves the address bar (and the history) at once; the cookie carries the session.
        // The rest of the address stays (`?presenter`); only the token leaves it.
        const rest = new URLSearchParams(url.parsed().searchParams);
        rest.delete("token");
        const query = rest.toString().replace(/=(?=&|$)/g, "");
        return new Response(null, {
          status: 303,
          headers: { location: query ? `${path}?${query}` : path, "set-cookie": `${cookieName(host.port)}=${session}; Path=/; HttpOnly; SameSite=Strict`, "cache-control": "no-store" },
        });
      }
      if (!credentialOk(c, host.port)) return unauthorizedPage(401);
    }
    if (needsSession(path) && !credentialOk(c, host.port)) {
      return simpleProblem(401, "unauthorized", "The studio needs its session: open the URL `heartlock serve` printed (it carries ?token=…), or send Authorization: Bearer <admin key>.");
    }
    await next();
  };
  return { token, middleware, anyHost };
}

/** What the checks read of the Host: the name alone, with the port, the port alone (a URL's fields of `http://<Host>`). */
interface Host {
  readonly hostname: string;
  readonly host: string;
  readonly port: string;
}
/** Distinct Host headers remembered before the memo starts again. */
const MAX_HOSTS = 64;

/**
 * A request URL whose path holds only unreserved characters and no dot segment (every `/v1` call a phone or fleet
 * makes): its scheme and path are read straight from the text, as `new URL` would give them, without parsing it per
 * request. Anything else (percent-escapes, dot segments, odd characters) is parsed by `new URL`, as before.
 */
const PLAIN_URL = /^(https?:)\/\/[\w\-.~:[\]]*(\/[\w\-.~/]*)(?:[?#]|$)/;
const DOT_SEGMENT = /\/\.\.?(?:\/|$)/;
export function requestUrl(text: string): { readonly protocol: string; readonly pathname: string; parsed(): URL } {
  let url: URL | undefined;
  const parsed = () => (url ??= new URL(text));
  const plain = PLAIN_URL.exec(text);
  if (plain && !DOT_SEGMENT.test(plain[2] as string)) return { protocol: plain[1] as string, pathname: plain[2] as string, parsed };
  const whole = parsed();
  return { protocol: whole.protocol, pathname: whole.pathname, parsed };
}

/** What shows or changes the world: the API, the exports and the printable handout (the page's assets carry no secret). */
function needsSession(raw: string): boolean {
  // Hono routes on the percent-decoded path, so judge that one: "/studio/%61pi/state" is "/studio/api/state".
  let path: string;
  try {
    path = decodeURI(raw);
  } catch {
    return true; // a path that cannot be decoded is refused rather than let through
  }
  return path.startsWith("/studio/api/") || path.startsWith("/studio/export/") || path === "/studio/handout";
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function safeUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const at = part.indexOf("=");
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

function unauthorizedPage(status: number): Response {
  const html = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Heartlock studio</title>
<body style="font-family: system-ui, sans-serif; max-width: 40em; margin: 4em auto">
<h1>Open the studio from its link</h1>
<p>This studio only opens from the link <code>heartlock serve</code> printed when it started (it ends in <code>?token=…</code>).
Copy that whole line into the address bar.</p></body></html>`;
  return new Response(html, { status, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } });
}
