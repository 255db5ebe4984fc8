"use strict";
// Run with `node --test` in app/. Servers listen on an ephemeral port on 127.0.0.1 only.
const { describe, it, before, after } = require("node:test");
const assert = require("node:assert/strict");
const http = require("node:http");
const net = require("node:net");
const path = require("node:path");
const { spawn } = require("node:child_process");
const { once } = require("node:events");

const { createServer, shutdown, MAX_NAME_LENGTH } = require("./server");

/** One request on a fresh connection (no keep-alive pool, so nothing lingers after the tests). */
function request(port, { method = "GET", path: urlPath = "/", headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method, path: urlPath, headers, agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (text += chunk));
      res.on("end", () => {
        let json;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode, headers: res.headers, text, json });
      });
    });
    req.setTimeout(5000, () => req.destroy(new Error(`timeout: ${method} ${urlPath}`)));
    req.on("error", reject);
    req.end(body);
  });
}

async function listen(server) {
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return server.address().port;
}

describe("example API", () => {
  const logs = [];
  const fixedNow = new Date("2030-01-02T03:04:05.678Z");
  let server;
  let port;

  before(async () => {
    server = createServer({ serviceName: "orders", log: (entry) => logs.push(entry), now: () => fixedNow });
    port = await listen(server);
  });
  after(async () => {
    await shutdown(server, { timeoutMs: 1000 });
  });

  it("GET /health answers 200 {status: ok} as JSON", async () => {
    const res = await request(port, { path: "/health" });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { status: "ok" });
    assert.match(res.headers["content-type"], /^application\/json/);
    assert.equal(res.headers["cache-control"], "no-store");
    assert.equal(res.headers["x-content-type-options"], "nosniff");
  });

  it("GET / answers 200 with the service's name, so the default health check path passes", async () => {
    const res = await request(port, { path: "/" });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { service: "orders", status: "ok" });
  });

  it("HEAD /health answers 200 without a body", async () => {
    const res = await request(port, { method: "HEAD", path: "/health" });
    assert.equal(res.status, 200);
    assert.equal(res.text, "");
  });

  it("GET /api/hello greets the world by default, with the service name and the time", async () => {
    const res = await request(port, { path: "/api/hello" });
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { message: "hello, world", service: "orders", time: "2030-01-02T03:04:05.678Z" });
  });

  it("GET /api/hello?name= greets the name, decoded; an empty name means world", async () => {
    assert.equal((await request(port, { path: "/api/hello?name=Ada" })).json.message, "hello, Ada");
    assert.equal((await request(port, { path: "/api/hello?name=Ada%20Lovelace" })).json.message, "hello, Ada Lovelace");
    assert.equal((await request(port, { path: "/api/hello?name=Zo%C3%AB" })).json.message, "hello, Zoë");
    assert.equal((await request(port, { path: "/api/hello?name=o'neil-2_x." })).json.message, "hello, o'neil-2_x.");
    assert.equal((await request(port, { path: "/api/hello?name=" })).json.message, "hello, world");
  });

  it(`accepts a name of ${MAX_NAME_LENGTH} characters and rejects a longer one with 400`, async () => {
    const ok = await request(port, { path: `/api/hello?name=${"a".repeat(MAX_NAME_LENGTH)}` });
    assert.equal(ok.status, 200);
    const tooLong = await request(port, { path: `/api/hello?name=${"a".repeat(MAX_NAME_LENGTH + 1)}` });
    assert.equal(tooLong.status, 400);
    assert.equal(tooLong.json.error, "bad_request");
    assert.match(tooLong.json.message, new RegExp(`at most ${MAX_NAME_LENGTH}`));
  });

  it("rejects names with markup or control characters with 400", async () => {
    for (const bad of ["%3Cscript%3E", "a%0Ab", "a%22b", "a%2Fb", "%20%00"]) {
      const res = await request(port, { path: `/api/hello?name=${bad}` });
      assert.equal(res.status, 400, bad);
      assert.equal(res.json.error, "bad_request");
    }
  });

  it("answers 404 JSON for unknown paths", async () => {
    for (const p of ["/nope", "/health/", "/api", "/api/hello/x", "//evil.example/health", "/__proto__"]) {
      const res = await request(port, { path: p });
      assert.equal(res.status, 404, p);
      assert.deepEqual(res.json, { error: "not_found", message: "no such route" });
    }
  });

  it("answers 405 with Allow for another method on a known route", async () => {
    for (const [method, p] of [
      ["POST", "/health"],
      ["DELETE", "/api/hello"],
      ["PUT", "/api/hello?name=x"],
      ["OPTIONS", "/health"],
    ]) {
      const res = await request(port, { method, path: p, body: method === "OPTIONS" ? undefined : "{}" });
      assert.equal(res.status, 405, `${method} ${p}`);
      assert.equal(res.headers.allow, "GET, HEAD");
      assert.equal(res.json.error, "method_not_allowed");
    }
  });

  it("logs one JSON-serialisable line per request, without the query string", async () => {
    logs.length = 0;
    await request(port, { path: "/api/hello?name=secret", headers: { "x-amzn-trace-id": "Root=1-abc" } });
    await request(port, { path: "/missing" });
    const lines = logs.filter((e) => e.msg === "request");
    assert.equal(lines.length, 2);
    assert.deepEqual(
      lines.map((e) => [e.method, e.path, e.status]),
      [
        ["GET", "/api/hello", 200],
        ["GET", "/missing", 404],
      ],
    );
    assert.equal(lines[0].traceId, "Root=1-abc");
    assert.equal(typeof lines[0].durationMs, "number");
    assert.ok(!JSON.stringify(lines).includes("secret"));
  });

  it("reads SERVICE_NAME from the environment, defaulting to web", async () => {
    const saved = process.env.SERVICE_NAME;
    try {
      delete process.env.SERVICE_NAME;
      const plain = createServer({ log: false });
      process.env.SERVICE_NAME = "billing";
      const named = createServer({ log: false });
      const [p1, p2] = [await listen(plain), await listen(named)];
      assert.equal((await request(p1, { path: "/api/hello" })).json.service, "web");
      assert.equal((await request(p2, { path: "/api/hello" })).json.service, "billing");
      await Promise.all([shutdown(plain), shutdown(named)]);
    } finally {
      if (saved === undefined) delete process.env.SERVICE_NAME;
      else process.env.SERVICE_NAME = saved;
    }
  });
});

describe("graceful shutdown (what SIGTERM triggers)", () => {
  it("finishes the request in flight with Connection: close, drops idle connections, refuses new ones", async () => {
    const server = createServer({ log: false });
    const port = await listen(server);

    // An idle keep-alive connection that has completed one request.
    const idle = net.connect(port, "127.0.0.1");
    await once(idle, "connect");
    idle.write("GET /health HTTP/1.1\r\nHost: t\r\n\r\n");
    await once(idle, "data");
    const idleClosed = once(idle, "close");

    // A request in flight: headers started but not finished.
    const busy = net.connect(port, "127.0.0.1");
    await once(busy, "connect");
    busy.write("GET /api/hello?name=late HTTP/1.1\r\nHost: t\r\n");
    let busyText = "";
    busy.on("data", (d) => (busyText += d));
    const busyClosed = once(busy, "close");
    await new Promise((r) => setTimeout(r, 20));

    const done = shutdown(server, { timeoutMs: 5000 });
    assert.equal(shutdown(server), done, "a second call returns the same promise");
    await idleClosed;
    await assert.rejects(request(port, { path: "/health" }), /ECONNREFUSED/);

    busy.write("\r\n");
    await busyClosed;
    assert.match(busyText, /^HTTP\/1\.1 200 OK/);
    assert.match(busyText, /\r\nConnection: close\r\n/i);
    assert.match(busyText, /"message":"hello, late"/);
    assert.deepEqual(await done, { forced: false });
  });

  it("closes a connection that never completes its request once the timeout passes", async () => {
    const server = createServer({ log: false });
    const port = await listen(server);
    const stuck = net.connect(port, "127.0.0.1");
    await once(stuck, "connect");
    stuck.write("GET /health HTTP/1.1\r\nHost: t\r\n");
    await new Promise((r) => setTimeout(r, 20));
    const t0 = Date.now();
    assert.deepEqual(await shutdown(server, { timeoutMs: 100 }), { forced: true });
    assert.ok(Date.now() - t0 < 2000);
    stuck.destroy();
  });

  it("resolves for a server that was never listening", async () => {
    assert.deepEqual(await shutdown(createServer({ log: false }), { timeoutMs: 100 }), { forced: false });
  });
});

describe("node server.js (the container's command)", () => {
  function start(env) {
    const child = spawn(process.execPath, [path.join(__dirname, "server.js")], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const lines = [];
    let buffered = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk) => {
      buffered += chunk;
      let nl;
      while ((nl = buffered.indexOf("\n")) !== -1) {
        lines.push(JSON.parse(buffered.slice(0, nl)));
        buffered = buffered.slice(nl + 1);
      }
    });
    const exited = once(child, "exit");
    return { child, lines, exited };
  }

  async function waitFor(predicate, what) {
    const deadline = Date.now() + 5000;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  it("listens on PORT, logs JSON lines to stdout, and exits 0 on SIGTERM", async () => {
    const { child, lines, exited } = start({ PORT: "0", SERVICE_NAME: "smoke" });
    try {
      await waitFor(() => lines.some((l) => l.msg === "listening"), "the listening line");
      const { port } = lines.find((l) => l.msg === "listening");
      const res = await request(port, { path: "/api/hello?name=ecs" });
      assert.deepEqual([res.status, res.json.message, res.json.service], [200, "hello, ecs", "smoke"]);
      await waitFor(() => lines.some((l) => l.msg === "request"), "the request line");

      child.kill("SIGTERM");
      const [code, signal] = await exited;
      assert.deepEqual([code, signal], [0, null]);
      assert.deepEqual(
        lines.map((l) => l.msg),
        ["listening", "request", "shutting down", "stopped"],
      );
      assert.equal(lines[2].signal, "SIGTERM");
      for (const l of lines) assert.match(l.time, /^\d{4}-\d\d-\d\dT/);
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("exits 1 naming the key when PORT is not a port", async () => {
    const { lines, exited } = start({ PORT: "eighty" });
    const [code] = await exited;
    assert.equal(code, 1);
    assert.equal(lines[0].level, "error");
    assert.match(lines[0].msg, /^PORT must be an integer/);
  });
});
