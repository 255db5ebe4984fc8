// The example API under app/ (what `appPath: app` builds and runs), checked from the root's `npm test`.
// app/server.test.js (`cd app && node --test`) covers it in full; this spec keeps the key checks here.
import assert from "node:assert/strict";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as app from "../../app/server";

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  json: Record<string, unknown> | undefined;
}

function get(port: number, path: string, method = "GET"): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, path, method, agent: false }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, json: text ? JSON.parse(text) : undefined }));
    });
    req.setTimeout(2000, () => req.destroy(new Error(`timeout: ${method} ${path}`)));
    req.on("error", reject);
    req.end();
  });
}

describe("app: the example API", function () {
  this.timeout(5000);
  let server: http.Server;
  let port: number;

  before(async () => {
    server = app.createServer({ serviceName: "web", log: false });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });

  after(async () => {
    assert.deepEqual(await app.shutdown(server, { timeoutMs: 1000 }), { forced: false });
  });

  it("exports what app/server.d.ts declares", () => {
    assert.deepEqual(Object.keys(app).filter((k) => k !== "default").sort(), ["MAX_NAME_LENGTH", "createServer", "parseName", "shutdown"]);
  });

  it("GET /health -> 200 {status: ok}", async () => {
    const res = await get(port, "/health");
    assert.equal(res.status, 200);
    assert.deepEqual(res.json, { status: "ok" });
    assert.match(String(res.headers["content-type"]), /^application\/json/);
  });

  it("GET /api/hello -> hello, world; ?name= is used and validated", async () => {
    const world = await get(port, "/api/hello");
    assert.equal(world.status, 200);
    assert.equal(world.json?.message, "hello, world");
    assert.equal(world.json?.service, "web");
    assert.ok(!Number.isNaN(Date.parse(String(world.json?.time))), "time is an ISO date");
    assert.equal((await get(port, "/api/hello?name=Ada")).json?.message, "hello, Ada");
    assert.equal((await get(port, `/api/hello?name=${"x".repeat(app.MAX_NAME_LENGTH + 1)}`)).status, 400);
    assert.equal((await get(port, "/api/hello?name=%3Cb%3E")).status, 400);
  });

  it("unknown path -> 404 JSON; other method -> 405 with Allow", async () => {
    const missing = await get(port, "/nope");
    assert.equal(missing.status, 404);
    assert.equal(missing.json?.error, "not_found");
    const post = await get(port, "/health", "POST");
    assert.equal(post.status, 405);
    assert.equal(post.headers.allow, "GET, HEAD");
  });
});
