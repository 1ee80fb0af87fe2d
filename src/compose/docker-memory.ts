/** Docker's memory units are binary: `512m` is 512 MiB, `1g` 1 GiB (a plain number is bytes). */
export function dockerMemoryBytes(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined;
  const match = /^(\d+(?:\.\d+)?)\s*([bkmg])?b?$/i.exec(String(value).trim());
  if (!match) return undefined;
  const factor = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(match[2] ?? 'b').toLowerCase() as 'b'];
  return Math.round(Number(match[1]) * factor);
}
