/**
 * Docker's memory units are binary, as its `RAMInBytes` reads them: `512m`, `512MiB` and `512mb` are 512 MiB, `1g`
 * 1 GiB (k, m, g, t, p; an optional `i` and `b`); a plain number is bytes.
 */
export function dockerMemoryBytes(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined;
  const match = /^(\d+(?:\.\d+)?) ?([kmgtp])?i?b?$/i.exec(String(value).trim());
  if (!match) return undefined;
  const power = match[2] === undefined ? 0 : 'kmgtp'.indexOf(match[2].toLowerCase()) + 1;
  const factor = 1024 ** power;
  return Math.round(Number(match[1]) * factor);
}
