// EventBridge Scheduler expressions (lib/schedule.ts), pure: the forms the Scheduler accepts (EventBridge
// Scheduler User Guide, "Schedule types": cron with six fields and ? in one day field, rate singular for 1,
// at once), the schedule in words, and the next run in UTC.
import assert from "node:assert/strict";
import { describeSchedule, nextRun, parseSchedule, type Schedule } from "../../lib/schedule";

const ok = (e: string): Schedule => {
  const s = parseSchedule(e);
  assert.ok(!("error" in s), `${e}: ${"error" in s ? s.error : ""}`);
  return s;
};
const FROM = new Date("2026-03-10T12:30:00Z"); // a Tuesday

describe("schedule expressions (lib/schedule.ts)", () => {
  it("accepts the three forms", () => {
    for (const e of ["cron(0 2 * * ? *)", "cron(15 10 ? * MON-FRI *)", "cron(0/15 * * * ? 2026)", "rate(1 hour)", "rate(15 minutes)", "rate(7 days)", "at(2026-12-31T23:59:00)"]) ok(e);
  });

  it("refuses what the Scheduler refuses, showing the forms", () => {
    for (const [e, why] of [
      ["cron(0 2 * * *)", /5 cron fields .*six/], ["cron(0 2 * * 1 *)", /exactly one of day-of-month and day-of-week as \?/],
      ["cron(0 2 ? * ? *)", /exactly one/], ["cron(61 2 * * ? *)", /minutes 0-59/], ["rate(1 hours)", /singular for 1/], ["rate(5 minute)", /plural otherwise/],
      ["rate(0 minutes)", /at least 1/], ["at(2026-02-30T00:00:00)", /real date/], ["daily", /not a schedule expression/], ["cron(0 2 L * ? *)", /no L, W or #/],
    ] as const) {
      const s = parseSchedule(e);
      assert.ok("error" in s, e);
      assert.match(s.error, why, e);
      assert.match(s.error, /the forms: cron\(minutes hours day-of-month month day-of-week year\)/, e);
    }
  });

  it("says the schedule in words", () => {
    assert.equal(describeSchedule(ok("cron(0 2 * * ? *)")), "at 02:00 UTC every day");
    assert.equal(describeSchedule(ok("cron(15 10 ? * MON-FRI *)")), "at 10:15 UTC on MON, TUE, WED, THU, FRI");
    assert.equal(describeSchedule(ok("rate(15 minutes)")), "every 15 minutes, from when the schedule is created");
    assert.equal(describeSchedule(ok("at(2026-12-31T23:59:00)")), "once, at 2026-12-31T23:59:00 UTC");
  });

  it("computes the next run in UTC, strictly after the given time", () => {
    assert.equal(nextRun(ok("cron(0 2 * * ? *)"), FROM)!.toISOString(), "2026-03-11T02:00:00.000Z");
    assert.equal(nextRun(ok("cron(45 12 * * ? *)"), FROM)!.toISOString(), "2026-03-10T12:45:00.000Z");
    assert.equal(nextRun(ok("cron(30 12 * * ? *)"), FROM)!.toISOString(), "2026-03-11T12:30:00.000Z", "not the same minute again");
    // Day-of-week 1 is Sunday in EventBridge's cron.
    assert.equal(nextRun(ok("cron(0 9 ? * 1 *)"), FROM)!.toISOString(), "2026-03-15T09:00:00.000Z");
    assert.equal(nextRun(ok("cron(0 0 1 JAN ? *)"), FROM)!.toISOString(), "2027-01-01T00:00:00.000Z");
    assert.equal(nextRun(ok("rate(1 hour)"), FROM)!.toISOString(), "2026-03-10T13:30:00.000Z");
    assert.equal(nextRun(ok("at(2026-12-31T23:59:00)"), FROM)!.toISOString(), "2026-12-31T23:59:00.000Z");
    assert.equal(nextRun(ok("at(2025-01-01T00:00:00)"), FROM), undefined, "an at(...) in the past never runs");
    assert.equal(nextRun(ok("cron(0 0 * * ? 2025)"), FROM), undefined, "its years are over");
  });
});
