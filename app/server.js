"use strict";
/**
 * The example API that `appPath: app` builds into an image and runs on ECS.
 *
 *   GET /                     200 {"service":"web","status":"ok"}   (the health check path by default)
 *   GET /health               200 {"status":"ok"}
 *   GET /api/hello?name=x     200 {"message":"hello, x","service":"web","time":"<ISO 8601>"}
 *   anything else             404 JSON; another method on a known route: 405 JSON with an Allow header
 *
 * No dependencies: node:http only. One JSON line per request goes to stdout, which the awslogs driver
 * ships to CloudWatch Logs. On SIGTERM (what ECS sends when it stops a task) the server stops accepting
 * connections, lets the requests in flight finish, closes idle keep-alive connections and exits 0 before
 * the ECS stop timeout (30 s by default) would SIGKILL it.
 *
 * `require("./server")` gives createServer() and shutdown() for tests; the server listens only when this
 * file is run directly (`node server.js`).
 */
const http = require("node:http");

const MAX_NAME_LENGTH = 64;
/** Letters and digits of any script, space, and - _ . ' — enough for names, nothing that needs escaping. */
const NAME_PATTERN = /^[\p{L}\p{M}\p{N} _.'-]+$/u;
const DEFAULT_NAME = "world";
const DEFAULT_SHUTDOWN_TIMEOUT_MS = 20000;

const kDraining = Symbol("draining");
const kShutdown = Symbol("shutdown");

/** Writes one JSON line to stdout. */
function stdoutLog(entry) {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
}

function sendJson(res, status, body, headers = {}) {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(payload),
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    ...headers,
  });
  res.end(payload);
}

/**
 * Validates the `name` query parameter: absent or empty means "world"; otherwise at most
 * MAX_NAME_LENGTH characters from NAME_PATTERN. Returns { name } or { error }.
 */
function parseName(raw) {
  if (raw === null || raw === "") return { name: DEFAULT_NAME };
  const length = [...raw].length;
  if (length > MAX_NAME_LENGTH) {
    return { error: `name must be at most ${MAX_NAME_LENGTH} characters (got ${length})` };
  }
  if (!NAME_PATTERN.test(raw)) {
    return { error: "name may contain only letters, digits, spaces and - _ . '" };
  }
  return { name: raw };
}

/**
 * The routes: each path maps to its handler, called for GET and HEAD (Node sends no body for HEAD).
 * Any other method gets 405 with `Allow: GET, HEAD`.
 */
const ALLOW = "GET, HEAD";
const routes = {
  // The target group checks / unless the stack sets healthCheckPath: both answer.
  "/": (_query, res, ctx) => sendJson(res, 200, { service: ctx.serviceName, status: "ok" }),
  "/health": (_query, res) => sendJson(res, 200, { status: "ok" }),
  "/api/hello": (query, res, ctx) => {
    const parsed = parseName(query.get("name"));
    if (parsed.error) {
      sendJson(res, 400, { error: "bad_request", message: parsed.error });
      return;
    }
    sendJson(res, 200, {
      message: `hello, ${parsed.name}`,
      service: ctx.serviceName,
      time: ctx.now().toISOString(),
    });
  },
};

/**
 * Creates the HTTP server (not listening).
 * @param {object} [options]
 * @param {string} [options.serviceName] defaults to process.env.SERVICE_NAME, then "web"
 * @param {((entry: object) => void) | false} [options.log] request/lifecycle logger; false disables it
 * @param {() => Date} [options.now] clock, for tests
 */
function createServer(options = {}) {
  const serviceName = options.serviceName || process.env.SERVICE_NAME || "web";
  const log = options.log === false ? () => {} : options.log || stdoutLog;
  const ctx = { serviceName, now: options.now || (() => new Date()) };

  const server = http.createServer((req, res) => {
    const started = process.hrtime.bigint();
    const rawUrl = req.url || "/";
    const q = rawUrl.indexOf("?");
    // The path is taken as sent (no URL-base resolution, so "//host/x" stays a path, not a host).
    const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
    const query = new URLSearchParams(q === -1 ? "" : rawUrl.slice(q + 1));

    res.once("close", () => {
      log({
        level: "info",
        msg: "request",
        method: req.method,
        path,
        status: res.statusCode,
        durationMs: Number(process.hrtime.bigint() - started) / 1e6,
        aborted: !res.writableFinished,
        userAgent: req.headers["user-agent"],
        traceId: req.headers["x-amzn-trace-id"],
      });
    });
    // While draining, tell keep-alive clients (the ALB) to open their next request elsewhere.
    if (server[kDraining]) res.setHeader("Connection", "close");
    // Nothing here reads a request body: discard it so the connection stays usable.
    req.resume();

    try {
      const handler = Object.prototype.hasOwnProperty.call(routes, path) ? routes[path] : undefined;
      if (!handler) {
        sendJson(res, 404, { error: "not_found", message: "no such route" });
      } else if (req.method !== "GET" && req.method !== "HEAD") {
        sendJson(res, 405, { error: "method_not_allowed", message: `use ${ALLOW}` }, { Allow: ALLOW });
      } else {
        handler(query, res, ctx);
      }
    } catch (err) {
      log({ level: "error", msg: "handler failed", path, error: String(err && err.stack ? err.stack : err) });
      if (!res.headersSent) sendJson(res, 500, { error: "internal_error" });
      else res.destroy();
    }
  });

  // The ALB's idle timeout is 30 s: keep connections open longer than that, so the ALB, not the
  // target, closes idle connections (otherwise the ALB can send on a socket the target just closed: 502).
  server.keepAliveTimeout = 65000;
  server.headersTimeout = 66000;
  return server;
}

/**
 * Graceful stop: stop accepting, close idle keep-alive connections, let in-flight requests finish
 * (their responses carry `Connection: close`), and after `timeoutMs` close whatever is left.
 * Resolves with { forced } once the server is closed; calling it again returns the same promise.
 * @param {import("node:http").Server} server
 * @param {{ timeoutMs?: number }} [options]
 * @returns {Promise<{ forced: boolean }>}
 */
function shutdown(server, options = {}) {
  if (server[kShutdown]) return server[kShutdown];
  const timeoutMs = options.timeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
  server[kDraining] = true;
  server[kShutdown] = new Promise((resolve) => {
    let forced = false;
    const timer = setTimeout(() => {
      forced = true;
      server.closeAllConnections();
    }, timeoutMs);
    timer.unref();
    // The callback also runs (with ERR_SERVER_NOT_RUNNING) when the server was never listening.
    server.close(() => {
      clearTimeout(timer);
      resolve({ forced });
    });
    server.closeIdleConnections();
  });
  return server[kShutdown];
}

/** Reads a non-negative integer from the environment, or exits with a log line naming the key. */
function intFromEnv(key, fallback, max) {
  const raw = process.env[key];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > max) {
    stdoutLog({ level: "error", msg: `${key} must be an integer 0..${max}`, value: raw });
    process.exit(1);
  }
  return value;
}

function main() {
  const port = intFromEnv("PORT", 8080, 65535);
  const timeoutMs = intFromEnv("SHUTDOWN_TIMEOUT_MS", DEFAULT_SHUTDOWN_TIMEOUT_MS, 120000);
  const server = createServer();

  server.on("error", (err) => {
    stdoutLog({ level: "error", msg: "server error", error: String(err) });
    process.exit(1);
  });
  server.listen(port, () => {
    const address = server.address();
    stdoutLog({ level: "info", msg: "listening", port: address && typeof address === "object" ? address.port : port });
  });

  let stopping = false;
  const onSignal = (signal) => {
    if (stopping) return;
    stopping = true;
    stdoutLog({ level: "info", msg: "shutting down", signal, timeoutMs });
    shutdown(server, { timeoutMs }).then(({ forced }) => {
      stdoutLog({ level: "info", msg: "stopped", forced });
      process.exit(0);
    });
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}

if (require.main === module) {
  main();
}

module.exports = { createServer, shutdown, parseName, MAX_NAME_LENGTH };
