/**
 * Just enough Go to read a terraform-plugin-sdk schema literal: `Schema: map[string]*schema.Schema{ "k": {
 * Field: expr, ... }, ... }` and the validator expressions in it (calls, string and raw-string literals,
 * numbers, `[]T{...}` composites, generic `enum.Validate[T]()`). Not a Go parser: it relies on gofmt'd source.
 */

/** Index just past the literal/comment starting at i, or i when none starts there. */
function skipAtom(s, i) {
  const c = s[i];
  if (c === '"') { i++; while (s[i] !== '"') i += s[i] === "\\" ? 2 : 1; return i + 1; }
  if (c === "`") return s.indexOf("`", i + 1) + 1;
  if (c === "'") { i++; while (s[i] !== "'") i += s[i] === "\\" ? 2 : 1; return i + 1; }
  if (c === "/" && s[i + 1] === "/") { const e = s.indexOf("\n", i); return e < 0 ? s.length : e; }
  if (c === "/" && s[i + 1] === "*") return s.indexOf("*/", i) + 2;
  return i;
}

/** Splits s[from, to) at top-level separators `sep` (depth 0 of (), [], {}), skipping literals and comments. */
function splitTop(s, from, to, sep) {
  const parts = [];
  let depth = 0, start = from, i = from;
  while (i < to) {
    const j = skipAtom(s, i);
    if (j !== i) { i = j; continue; }
    const c = s[i];
    if ("([{".includes(c)) depth++;
    else if (")]}".includes(c)) depth--;
    else if (c === sep && depth === 0) { parts.push(s.slice(start, i)); start = i + 1; }
    i++;
  }
  parts.push(s.slice(start, to));
  return parts.map(stripComments).map((p) => p.trim()).filter(Boolean);
}
function stripComments(p) {
  let out = "", i = 0;
  while (i < p.length) {
    const j = skipAtom(p, i);
    if (j === i) { out += p[i++]; continue; }
    if (p[i] === "/") { i = j; continue; }
    out += p.slice(i, j); i = j;
  }
  return out;
}

/** Index of the bracket closing the one at `open`. */
function closing(s, open) {
  let depth = 0, i = open;
  while (i < s.length) {
    const j = skipAtom(s, i);
    if (j !== i) { i = j; continue; }
    if ("([{".includes(s[i])) depth++;
    else if (")]}".includes(s[i]) && --depth === 0) return i;
    i++;
  }
  return -1;
}

/**
 * The first schema map literal at or after `from` (`Schema: map[string]*schema.Schema{...}`, a SchemaFunc's
 * `return map[string]*schema.Schema{...}`, a package `var x = map[string]*schema.Schema{...}`), as key -> fields (or raw text).
 */
export function parseSchemaOf(text, from) {
  if (from < 0) return undefined;
  const marker = "map[string]*schema.Schema{";
  const at = text.indexOf(marker, from);
  if (at < 0) return undefined;
  const open = at + marker.length - 1;
  return parseMap(text, open, closing(text, open));
}

function parseMap(s, open, close) {
  const out = {};
  for (const entry of splitTop(s, open + 1, close, ",")) {
    const colon = topColon(entry);
    const key = entry.slice(0, colon).trim().replace(/^"|"$/g, "");
    const value = entry.slice(colon + 1).trim();
    out[key] = value.startsWith("{") ? parseFields(value) : value;
  }
  return out;
}
function topColon(e) {
  let i = 0;
  while (i < e.length) { const j = skipAtom(e, i); if (j !== i) { i = j; continue; } if (e[i] === ":") return i; i++; }
  return -1;
}
export function parseFields(block) {
  const fields = {};
  for (const f of splitTop(block, 1, closing(block, 0), ",")) {
    const c = topColon(f);
    fields[f.slice(0, c).trim()] = f.slice(c + 1).trim();
  }
  return fields;
}

/** A validator expression as { kind: call|str|num|ident|composite, ... , text }. */
export function parseExpr(src) {
  const s = stripComments(src).trim();
  const node = (n) => ({ ...n, text: s.replace(/\s+/g, " ") });
  if (s.startsWith('"')) return node({ kind: "str", value: JSON.parse(s) });
  if (s.startsWith("`")) return node({ kind: "str", value: s.slice(1, -1) });
  if (/^-?\d[\d_]*(\.\d+)?$/.test(s)) return node({ kind: "num", value: Number(s.replace(/_/g, "")) }); // Go allows 86_400
  const comp = /^\[\](\w+)\{/.exec(s);
  if (comp) return node({ kind: "composite", of: comp[1], items: splitTop(s, comp[0].length, s.lastIndexOf("}"), ",").map(parseExpr) });
  const call = /^([\w.]+)(?:\[([\w.]+)\])?\(/.exec(s);
  if (call && closing(s, call[0].length - 1) === s.length - 1) {
    return node({ kind: "call", fn: call[1], typeArg: call[2], args: splitTop(s, call[0].length, s.length - 1, ",").map(parseExpr) });
  }
  return node({ kind: "ident", name: s });
}
