/**
 * EventBridge Scheduler schedule expressions, as pure functions: validation, the schedule in words and its
 * next run (UTC, the Scheduler's default time zone). The forms (EventBridge Scheduler User Guide, "Schedule
 * types"): `cron(minutes hours day-of-month month day-of-week year)`, six fields, one of day-of-month and
 * day-of-week `?`; `rate(value unit)`, unit minute(s) | hour(s) | day(s), singular for 1; `at(yyyy-mm-ddThh:mm:ss)`,
 * once. Cron's L, W and # are not handled here and are refused.
 */

export type Schedule =
  | { kind: "cron"; expression: string; fields: CronFields }
  | { kind: "rate"; expression: string; value: number; unit: "minute" | "hour" | "day" }
  | { kind: "at"; expression: string; when: Date };

interface CronFields { minutes: number[]; hours: number[]; days?: number[]; months: number[]; weekdays?: number[]; years?: number[] }

export const SCHEDULE_FORMS = "cron(minutes hours day-of-month month day-of-week year) with six fields and ? in day-of-month or day-of-week (e.g. cron(0 2 * * ? *), 02:00 UTC daily), rate(<n> minute|minutes|hour|hours|day|days) (e.g. rate(1 hour), rate(15 minutes)) or at(yyyy-mm-ddThh:mm:ss) (once, UTC)";

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const WEEKDAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

/** One cron field's values between min and max; undefined when it does not parse. */
function field(text: string, min: number, max: number, names: string[] = [], base = min): number[] | undefined {
  const value = (t: string) => {
    const i = names.indexOf(t.toUpperCase());
    const n = i >= 0 ? i + base : /^\d+$/.test(t) ? Number(t) : NaN;
    return n >= min && n <= max ? n : undefined;
  };
  const out = new Set<number>();
  for (const part of text.split(",")) {
    const m = /^(\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:\/(\d+))?$/.exec(part);
    if (!m) return undefined;
    let lo = min, hi = max;
    if (m[1] !== "*") {
      const [a, b] = m[1].split("-");
      const va = value(a), vb = b === undefined ? (m[2] ? max : va) : value(b);
      if (va === undefined || vb === undefined || vb < va) return undefined;
      lo = va; hi = vb;
    }
    const step = m[2] ? Number(m[2]) : 1;
    if (step < 1) return undefined;
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return [...out].sort((x, y) => x - y);
}

/** Parses a schedule expression; an error names the forms. */
export function parseSchedule(expression: string): Schedule | { error: string } {
  const e = expression.trim();
  const bad = (why: string) => ({ error: `${why}; the forms: ${SCHEDULE_FORMS}` });
  let m = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(e);
  if (m) {
    const value = Number(m[1]);
    const unit = m[2].replace(/s$/, "") as "minute" | "hour" | "day";
    if (value < 1) return bad("a rate of at least 1");
    if ((value === 1) !== (m[2] === unit)) return bad(`"${m[2]}" with ${value}: the unit is singular for 1 and plural otherwise`);
    return { kind: "rate", expression: e, value, unit };
  }
  m = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/.exec(e);
  if (m) {
    const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
    const when = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
    if (when.getUTCMonth() !== mo - 1 || when.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return bad("a real date and time in at(...)");
    return { kind: "at", expression: e, when };
  }
  m = /^cron\((.*)\)$/.exec(e);
  if (!m) return bad(`not a schedule expression: ${JSON.stringify(e)}`);
  const parts = m[1].trim().split(/\s+/);
  if (parts.length !== 6) return bad(`${parts.length} cron fields (EventBridge's cron has six: minutes hours day-of-month month day-of-week year)`);
  const [mi, h, dom, mon, dow, yr] = parts;
  if ((dom === "?") === (dow === "?")) return bad("exactly one of day-of-month and day-of-week as ? in cron(...)");
  if (/[LW#]/i.test(`${dom} ${dow}`.replace(/[A-Z]{3}/gi, (x) => (WEEKDAYS.includes(x.toUpperCase()) ? "D" : x)))) return bad("no L, W or # (not handled here)");
  const fields: CronFields = {
    minutes: field(mi, 0, 59)!, hours: field(h, 0, 23)!, months: field(mon, 1, 12, MONTHS, 1)!,
    ...(dom === "?" ? {} : { days: field(dom, 1, 31) }),
    ...(dow === "?" ? {} : { weekdays: field(dow, 1, 7, WEEKDAYS, 1) }),
    ...(yr === "*" ? {} : { years: field(yr, 1970, 2199) }),
  };
  const names: [keyof CronFields, string][] = [["minutes", "minutes 0-59"], ["hours", "hours 0-23"], ["months", "month 1-12 or JAN-DEC"], ["days", "day-of-month 1-31"], ["weekdays", "day-of-week 1-7 or SUN-SAT"], ["years", "year 1970-2199"]];
  for (const [k, what] of names) {
    const present = k === "days" ? dom !== "?" : k === "weekdays" ? dow !== "?" : k === "years" ? yr !== "*" : true;
    if (present && !fields[k]) return bad(`cron ${what}`);
  }
  return { kind: "cron", expression: e, fields };
}

const two = (n: number) => String(n).padStart(2, "0");
const list = (xs: number[], all: number) => (xs.length === all ? undefined : xs);

/** The schedule in words (UTC). */
export function describeSchedule(s: Schedule): string {
  if (s.kind === "rate") return `every ${s.value === 1 ? s.unit : `${s.value} ${s.unit}s`}, from when the schedule is created`;
  if (s.kind === "at") return `once, at ${s.when.toISOString().replace(".000Z", "")} UTC`;
  const f = s.fields;
  const times = f.hours.length * f.minutes.length <= 4
    ? `at ${f.hours.flatMap((h) => f.minutes.map((m) => `${two(h)}:${two(m)}`)).join(", ")} UTC`
    : `at minute ${list(f.minutes, 60)?.join(",") ?? "every"} of hour ${list(f.hours, 24)?.join(",") ?? "every"} (UTC)`;
  const days = f.weekdays ? (list(f.weekdays, 7) ? ` on ${f.weekdays.map((d) => WEEKDAYS[d - 1]).join(", ")}` : " every day")
    : f.days && list(f.days, 31) ? ` on day ${f.days.join(", ")} of the month` : " every day";
  const months = list(f.months, 12) ? ` in ${f.months.map((m) => MONTHS[m - 1]).join(", ")}` : "";
  const years = f.years ? ` in ${f.years.join(", ")}` : "";
  return `${times}${days}${months}${years}`;
}

/**
 * The first run strictly after `from` (UTC); undefined when there is none (an `at` in the past, a cron whose
 * years are over). A rate's runs count from the schedule's creation: taken as `from`.
 */
export function nextRun(s: Schedule, from: Date): Date | undefined {
  if (s.kind === "at") return s.when > from ? s.when : undefined;
  if (s.kind === "rate") return new Date(from.getTime() + s.value * { minute: 60, hour: 3600, day: 86400 }[s.unit] * 1000);
  const f = s.fields;
  const start = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
  for (let day = 0; day < 366 * 5; day++) {
    const d = new Date(start.getTime() + day * 86400000);
    if (f.years && !f.years.includes(d.getUTCFullYear())) continue;
    if (!f.months.includes(d.getUTCMonth() + 1)) continue;
    if (f.days && !f.days.includes(d.getUTCDate())) continue;
    if (f.weekdays && !f.weekdays.includes(d.getUTCDay() + 1)) continue;
    for (const h of f.hours) for (const m of f.minutes) {
      const t = new Date(d.getTime() + (h * 60 + m) * 60000);
      if (t > from) return t;
    }
  }
  return undefined;
}
