/**
 * The Request an in-process call hands the app: a real `Request` to any code that asks (`instanceof Request`, every
 * property and method), which builds the WHATWG object only when something asks for more than the method, the
 * URL, the headers and the body.
 *
 * Why: a scenario run over the in-process transport makes one call per heartbeat, and constructing undici's
 * `Request` for each (its body's web stream, an AbortSignal, both made transferable) was about a quarter of
 * the CPU of `heartlock run all` (`--cpu-prof`, 4 December 2026). Hono and the lock service read `method`, `url`,
 * `headers` and `text()` (Hono's body limit also asks for `body` when a request has no Content-Length, which the
 * in-process transport always sends where there is a body), so those are answered from the fields, with
 * Request's semantics: the body's text is its UTF-8 round trip (a leading BOM dropped, a lone surrogate
 * U+FFFD), a body can be read once, a request without one reads as "" every time. The rest (`signal`, `body`,
 * `clone()`, `formData()`, ...) comes from a real Request built on first use, with the headers as they are then
 * and the same body, marked used if it was read.
 *
 * This is the technique of @hono/node-server's own request object (its `requestPrototype`), for a body that is
 * already a string instead of a Node stream. Browser-safe: no Node APIs.
 *
 * What it cannot be: the input of `new Request(light)` or `fetch(light)`. Those read undici's internal state
 * (symbols on Node 20, private fields on later versions), which no other object can carry; @hono/node-server
 * gets round that by replacing the global Request, which a library must not do. So the in-process transport
 * hands these only to an app that asks for no such thing (`lightRequests`, in-process.ts).
 */
export interface LightRequestInit {
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  /** The whole body as text; undefined for none. */
  readonly body?: string;
}

const fields = Symbol("heartlock.lightRequest");

interface Fields {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly body: string | undefined;
  /** The real Request, once something needed it; from then on every read goes to it. */
  real?: Request;
  /** Read through text(), json() or arrayBuffer() before any real Request existed. */
  used: boolean;
}

type Light = Request & { [fields]: Fields };

function own(request: Request): Fields {
  return (request as Light)[fields];
}

/** The real Request behind `request`, built once, with its body already used if it was read here. */
function realOf(request: Request): Request {
  const f = own(request);
  if (f.real) return f.real;
  const init: RequestInit = { method: f.method, headers: f.headers };
  if (f.body !== undefined) init.body = f.body;
  const real = new Request(f.url, init);
  // The body was read here: the real one must say so too (bodyUsed, and a second read rejects).
  if (f.used && real.body) void real.text().catch(() => undefined);
  f.real = real;
  return real;
}

function bodyUnusable(): Promise<never> {
  return Promise.reject(new TypeError("Body is unusable: Body has already been read"));
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What Request.text() reads back from a string body: its UTF-8 bytes decoded (a BOM dropped, a lone surrogate U+FFFD). */
function roundTrip(body: string): string {
  return body.charCodeAt(0) === 0xfeff || LONE_SURROGATE.test(body) ? decoder.decode(encoder.encode(body)) : body;
}

/**
 * The body as text, as Request.text() gives it: once (a second read rejects), and "" every time, never used,
 * when there is no body.
 */
function takeText(request: Request): Promise<string> {
  const f = own(request);
  if (f.real) return f.real.text();
  if (f.body === undefined) return Promise.resolve("");
  if (f.used) return bodyUnusable();
  f.used = true;
  return Promise.resolve(roundTrip(f.body));
}

const lightPrototype = Object.create(Request.prototype, {
  method: {
    get(this: Request) {
      return own(this).method;
    },
  },
  url: {
    get(this: Request) {
      return own(this).url;
    },
  },
  // One Headers object for the request's life, as Request has: the real one, if built, has a copy as it was then.
  headers: {
    get(this: Request) {
      return own(this).headers;
    },
  },
  bodyUsed: {
    get(this: Request) {
      const f = own(this);
      return f.real ? f.real.bodyUsed : f.used;
    },
  },
  text: {
    value(this: Request) {
      return takeText(this);
    },
  },
  json: {
    value(this: Request) {
      const f = own(this);
      return f.real ? f.real.json() : takeText(this).then((text) => JSON.parse(text) as unknown);
    },
  },
  arrayBuffer: {
    value(this: Request) {
      const f = own(this);
      if (f.real) return f.real.arrayBuffer();
      if (f.body === undefined) return Promise.resolve(new ArrayBuffer(0));
      if (f.used) return bodyUnusable();
      f.used = true;
      // The body's own UTF-8 bytes (a BOM kept: Request drops it only when decoding text).
      return Promise.resolve(encoder.encode(f.body).buffer);
    },
  },
  [Symbol.for("nodejs.util.inspect.custom")]: {
    value(this: Request) {
      const f = own(this);
      return `Request (light) ${JSON.stringify({ method: f.method, url: f.url, headers: Object.fromEntries(f.headers), bodyUsed: this.bodyUsed })}`;
    },
  },
}) as Request;

// Everything else a Request has on this runtime (older ones lack bytes(), for one), from the real one.
const has = (key: string) => key in Request.prototype;
for (const key of ["body", "signal", "cache", "credentials", "destination", "duplex", "integrity", "keepalive", "mode", "redirect", "referrer", "referrerPolicy", "isReloadNavigation", "isHistoryNavigation"].filter(has)) {
  Object.defineProperty(lightPrototype, key, {
    get(this: Request) {
      return (realOf(this) as unknown as Record<string, unknown>)[key];
    },
  });
}
for (const key of ["clone", "blob", "formData", "bytes"].filter(has)) {
  Object.defineProperty(lightPrototype, key, {
    value(this: Request) {
      const real = realOf(this) as unknown as Record<string, () => unknown>;
      return (real[key] as () => unknown).call(real);
    },
  });
}

/**
 * Request's method rules: a method is an HTTP token, CONNECT, TRACE and TRACK are refused, and the six standard
 * methods in any case become upper case (others stay as given).
 */
const STANDARD_METHODS = new Set(["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"]);
const FORBIDDEN_METHODS = new Set(["CONNECT", "TRACE", "TRACK"]);
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
function normaliseMethod(method: string): string {
  const upper = method.toUpperCase();
  if (!TOKEN.test(method)) throw new TypeError(`'${method}' is not a valid HTTP method.`);
  if (FORBIDDEN_METHODS.has(upper)) throw new TypeError(`'${method}' HTTP method is unsupported.`);
  return STANDARD_METHODS.has(upper) ? upper : method;
}

/** The URL as Request holds it, refusing what Request refuses: no URL, or one with a user name or password. */
function requestUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.username !== "" || parsed.password !== "") throw new TypeError(`Request cannot be constructed from a URL that includes credentials: ${url}`);
  return parsed.href;
}

export function lightRequest(url: string, init: LightRequestInit): Request {
  const method = normaliseMethod(init.method);
  if (init.body !== undefined && (method === "GET" || method === "HEAD")) throw new TypeError("Request with GET/HEAD method cannot have body.");
  const request = Object.create(lightPrototype) as Light;
  // The URL as Request holds it (parsed and normalised) and the headers built now: a malformed URL or header is
  // refused here with Request's TypeError, not later inside the app.
  const f: Fields = { url: requestUrl(url), method, headers: new Headers(init.headers), body: init.body, used: false };
  Object.defineProperty(request, fields, { value: f });
  return request;
}
