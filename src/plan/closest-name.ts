/** Levenshtein distance: the number of single-character edits between two strings. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The candidate closest to `name`, when it is close enough to be a plausible typo (about a third of the name). */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return bestDistance < name.length && bestDistance <= Math.max(1, Math.ceil(name.length / 3)) ? best : undefined;
}

/** `; did you mean "x"?` or nothing: appended to "unknown …" messages. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const suggestion = closestName(name, candidates);
  return suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
}

/**
 * A `didYouMean` for one load with a work budget (characters compared): a plan with thousands of unknown names
 * among thousands of services would otherwise spend quadratic time on suggestions. Once the budget is spent the
 * messages stay exact, only without the suggestion. A list of candidates must not change between calls: its size is
 * counted once, not again for every unknown name (which alone was quadratic).
 */
export function budgetedDidYouMean(budget = 20_000_000): (name: string, candidates: readonly string[]) => string {
  let left = budget;
  /** The characters of each list, plus one per candidate. */
  const sizes = new WeakMap<readonly string[], number>();
  return (name, candidates) => {
    let size = sizes.get(candidates);
    if (size === undefined) {
      size = candidates.reduce((sum, candidate) => sum + candidate.length + 1, 0);
      sizes.set(candidates, size);
    }
    const cost = (name.length + 1) * size;
    if (cost > left) return '';
    left -= cost;
    return didYouMean(name, candidates);
  };
}
