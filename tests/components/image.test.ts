import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { contextTag } from "../../components/image";
import { recordSeed } from "../helpers";

describe("the app image's tag (pure)", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "ctx-"));
    fs.writeFileSync(path.join(dir, "Dockerfile"), "FROM scratch\n");
    fs.mkdirSync(path.join(dir, "src"));
    fs.writeFileSync(path.join(dir, "src", "server.js"), "v1");
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("stays the same while the build context does (so an immutable repository accepts the deploy)", () => {
    assert.equal(contextTag(dir, "linux/amd64"), contextTag(dir, "linux/amd64"));
    assert.match(contextTag(dir, "linux/amd64"), /^src-[0-9a-f]{16}$/);
  });

  it("changes when a file's content, or a file's name, changes (so a new build gets a new tag)", () => {
    const before = contextTag(dir, "linux/amd64");
    fs.writeFileSync(path.join(dir, "src", "server.js"), "v2");
    const edited = contextTag(dir, "linux/amd64");
    assert.notEqual(edited, before);
    fs.renameSync(path.join(dir, "src", "server.js"), path.join(dir, "src", "main.js"));
    assert.notEqual(contextTag(dir, "linux/amd64"), edited);
  });

  // Immutable image tags change with everything that changes the image (rule of the real path): the
  // repository refuses a second, different image under an existing tag, e.g. the same context built for
  // arm64 after amd64 when instanceType moves to Graviton.
  it("changes with the target platform, for the same context", () => {
    assert.notEqual(contextTag(dir, "linux/arm64"), contextTag(dir, "linux/amd64"));
  });

  it("ignores node_modules and .git", () => {
    const before = contextTag(dir, "linux/amd64");
    fs.mkdirSync(path.join(dir, "node_modules"));
    fs.writeFileSync(path.join(dir, "node_modules", "x.js"), "x");
    assert.equal(contextTag(dir, "linux/amd64"), before);
  });

  it("is what the program tags the example app's image with", async () => {
    const g = await recordSeed({ appPath: "app", containerPort: "8080" });
    assert.equal(g.one("awsx:ecr:Image").inputs.imageTag, contextTag(path.resolve(__dirname, "..", "..", "app"), "linux/amd64"));
  });
});
