/** "Did you mean" for misspelt names (config keys, regions). Pure, tested on its own. */

/** Edit distance (insertions, deletions, substitutions, and swaps of neighbours count 1 each). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * The candidate `word` most likely misspells: equal ignoring case; else the only one it begins (a key
 * without its unit, "interval" for "intervalSeconds"); else the nearest within a third of its length (at
 * most 3 edits). Undefined when nothing is that close.
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  const all = [...candidates];
  const exact = all.find((c) => c.toLowerCase() === lower);
  if (exact) return exact;
  const extended = lower.length >= 4 ? all.filter((c) => c.toLowerCase().startsWith(lower)) : [];
  if (extended.length === 1) return extended[0];
  let best: { name: string; distance: number } | undefined;
  for (const c of all) {
    const distance = editDistance(lower, c.toLowerCase());
    if (distance <= Math.min(3, Math.floor(c.length / 3)) && (!best || distance < best.distance)) best = { name: c, distance };
  }
  return best?.name;
}

/** " (did you mean x?)" or "". */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const c = closest(word, candidates);
  return c ? ` (did you mean ${c}?)` : "";
}

/**
 * The `n` candidates nearest `word`, nearest first: those it begins or that contain it (case aside) before
 * the rest, then by edit distance, then by name. For messages that list a few keys instead of all of them.
 */
export function nearest(word: string, candidates: Iterable<string>, n = 5): string[] {
  const lower = word.toLowerCase();
  const score = (c: string) => {
    const l = c.toLowerCase();
    return { related: lower.length >= 3 && (l.startsWith(lower) || l.includes(lower) || lower.includes(l)) ? 0 : 1, distance: editDistance(lower, l) };
  };
  return [...new Set(candidates)]
    .map((c) => ({ c, ...score(c) }))
    .sort((a, b) => a.related - b.related || a.distance - b.distance || a.c.localeCompare(b.c))
    .slice(0, n)
    .map((x) => x.c);
}
