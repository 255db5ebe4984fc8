// Issue 28, item 8: credentials in environment values are refused, and no error or plan output repeats a
// suspected secret. A URL's userinfo may carry "user:password" (RFC 3986, section 3.2.1, which deprecates
// it: "a password ... in clear text"); the names the pack's no-plaintext-secrets-in-env refuses (PASSWORD,
// SECRET, TOKEN, KEY, ...) mark a value as a secret too, and the plan masks it wherever it prints one.
import assert from "node:assert/strict";
import { credentialIn, maskCredentials, maskSecret, shownEnvironmentValue } from "../../lib/secrets";
import { configProblems, planFixture } from "../helpers";

const TOKEN = `ghp_${"A1b2C3d4E5".repeat(3)}abcdef`;
const PASSWORD = "s3cretPa55";
const DB_URL = `postgres://app:${PASSWORD}@db.internal:5432/orders`;

const problemsOf = configProblems;

describe("credentials in plain values: refused, and never repeated", () => {
  it("recognises a URL whose userinfo has a password (RFC 3986 3.2.1), not a user alone, an empty password or a colon in the path", () => {
    assert.equal(credentialIn(DB_URL), "a URL with a password in it");
    assert.equal(credentialIn("redis://:hunter2@cache:6379"), "a URL with a password in it");
    for (const fine of ["postgres://app@db.internal/orders", "http://user:@host/", "https://api.acme.dev/a:b@c", "mailto:ops@acme.dev"]) assert.equal(credentialIn(fine), undefined, fine);
    assert.equal(credentialIn(TOKEN), "a GitHub token");
    assert.equal(credentialIn(`github_pat_${"A1b2C3d4E5_".repeat(6)}`), "a GitHub token", "a fine-grained token");
  });

  it("masks a secret to what it is and its length: a token keeps its prefix, a password nothing", () => {
    assert.equal(maskSecret(TOKEN), `ghp_…(${TOKEN.length} chars)`);
    assert.equal(maskCredentials(DB_URL), `postgres://app:…(${PASSWORD.length} chars)@db.internal:5432/orders`);
    assert.equal(shownEnvironmentValue("API_TOKEN", "abc123"), "…(6 chars)", "named like a secret");
    assert.equal(shownEnvironmentValue("LOG_LEVEL", "info"), "info");
  });

  it("refuses a database URL with a password and a GitHub token, naming the variable, masking the value", () => {
    const problems = problemsOf({ environment: JSON.stringify({ DATABASE_URL: DB_URL, GH: TOKEN, LOG_LEVEL: "info" }) });
    assert.equal(problems.length, 2, problems.join("\n"));
    assert.match(problems[0], /^ecs-ec2-api:environment\.DATABASE_URL = "postgres:\/\/app:…\(10 chars\)@db\.internal:5432\/orders" is not allowed: no credentials as plain values \(it holds a URL with a password in it\); put the URL \(or its password alone\) in SSM or Secrets Manager/);
    assert.match(problems[1], /^ecs-ec2-api:environment\.GH = "ghp_…\(40 chars\)" is not allowed/);
    for (const p of problems) assert.ok(!p.includes(PASSWORD) && !p.includes(TOKEN), p);
  });

  it("masks a credential in any message that shows the value: another variable's error, a sidecar's, a services entry's", () => {
    const messages = [
      ...problemsOf({ environment: JSON.stringify({ PORT: "8080", GH: TOKEN }) }),
      ...problemsOf({ sidecars: JSON.stringify({ otel: { imageUrl: "otel/collector:1", environment: { OTEL_URL: DB_URL } } }) }),
      ...problemsOf({ services: JSON.stringify({ v2: { imageUrl: "nginx", pathPatterns: ["/v2/*"], priority: "first", environment: { GH: TOKEN } } }) }),
      ...problemsOf({ secrets: JSON.stringify({ DB_PASSWORD: PASSWORD }) }),
    ];
    assert.ok(messages.length >= 4, messages.join("\n"));
    for (const m of messages) assert.ok(!m.includes(PASSWORD) && !m.includes(TOKEN), m);
    assert.ok(messages.some((m) => /^ecs-ec2-api:secrets\.DB_PASSWORD = …\(10 chars\) is not allowed: an SSM parameter ARN/.test(m)), messages.join("\n"));
  });

  it("the plan neither prints a refused credential nor, in --details and --json, a value named like a secret", async () => {
    const refused = await planFixture("small", "--config", `environment=${JSON.stringify({ DATABASE_URL: DB_URL })}`, "--json");
    assert.equal(refused.code, 1);
    assert.ok(!(refused.out + refused.err).includes(PASSWORD), "a config error masks the password");
    const named = ["--config", `environment=${JSON.stringify({ API_TOKEN: "abc123xyz", LOG_LEVEL: "info" })}`];
    const details = await planFixture("small", ...named, "--details", "web-task");
    const json = await planFixture("small", ...named, "--json");
    for (const out of [details.out, json.out]) {
      assert.ok(!out.includes("abc123xyz"), "the value named like a secret is masked");
      assert.ok(out.includes("…(9 chars)"), "shown by its length");
    }
    assert.match(details.out, /value: info/, "other values are shown as they are");
  });
});
