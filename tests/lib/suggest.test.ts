import assert from "node:assert/strict";
import { closest, didYouMean, editDistance, nearest } from "../../lib/suggest";

describe("did-you-mean suggestions (pure)", () => {
  it("counts insertions, deletions, substitutions and swaps of neighbours as one edit each", () => {
    assert.deepEqual(
      [editDistance("region", "region"), editDistance("regon", "region"), editDistance("regionn", "region"), editDistance("regoin", "region"), editDistance("rigion", "region")],
      [0, 1, 1, 1, 1],
    );
  });

  it("suggests the same name in another case first, then the nearest close one", () => {
    assert.equal(closest("instancetype", ["instanceType", "maxSize"]), "instanceType");
    assert.equal(closest("us-est-1", ["us-east-1", "us-east-2", "eu-west-1"]), "us-east-1");
  });

  it("suggests the one key a word begins, as a key written without its unit", () => {
    assert.equal(closest("interval", ["intervalSeconds", "timeoutSeconds"]), "intervalSeconds");
    assert.equal(closest("health", ["healthCheckPath", "healthCheckMatcher"]), undefined, "not when it begins several");
  });

  it("suggests nothing when nothing is close (at most a third of the name, and 3 edits)", () => {
    assert.equal(closest("vpc", ["maxSize", "desiredCount"]), undefined);
    assert.equal(didYouMean("foo", ["bar"]), "");
    assert.equal(didYouMean("desiredCont", ["desiredCount"]), " (did you mean desiredCount?)");
  });

  it("lists the few nearest candidates, those that contain the word first, instead of all of them", () => {
    const keys = ["healthCheckPath", "healthCheckMatcher", "containerPort", "containerCpu", "maxSize", "desiredCount", "containerHealthCheck"];
    assert.deepEqual(nearest("containerPrt", keys, 3), ["containerPort", "containerCpu", "containerHealthCheck"]);
    assert.deepEqual(nearest("healthcheck", keys, 3), ["healthCheckPath", "healthCheckMatcher", "containerHealthCheck"]);
    assert.equal(nearest("x", keys).length, 5);
  });
});
