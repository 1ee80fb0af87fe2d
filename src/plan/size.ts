const unitBytes: Record<string, number> = {
  b: 1,
  k: 1000,
  kb: 1000,
  m: 1000 ** 2,
  mb: 1000 ** 2,
  g: 1000 ** 3,
  gb: 1000 ** 3,
  t: 1000 ** 4,
  tb: 1000 ** 4,
  ki: 1024,
  kib: 1024,
  mi: 1024 ** 2,
  mib: 1024 ** 2,
  gi: 1024 ** 3,
  gib: 1024 ** 3,
  ti: 1024 ** 4,
  tib: 1024 ** 4,
};
const sizePattern = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i;

/**
 * Parses a memory size (`512MiB`, `1GiB`, `1.5GB`, `256MB`, Kubernetes' `512Mi`) into bytes; a plain number is
 * bytes. Decimal units (MB, GB) are powers of 1000, binary ones (MiB, GiB) powers of 1024, as in Kubernetes.
 */
export function parseSize(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined;
  const match = sizePattern.exec(value.trim());
  if (!match) return undefined;
  const factor = unitBytes[(match[2] ?? '').toLowerCase() || 'b'];
  return factor === undefined ? undefined : Math.round(Number(match[1]) * factor);
}

/** Formats bytes in binary units with at most two decimals: `1.5 GiB`, `512 MiB`, `100 B`. */
export function formatSize(bytes: number): string {
  const units = [
    ['GiB', 1024 ** 3],
    ['MiB', 1024 ** 2],
    ['KiB', 1024],
  ] as const;
  for (const [unit, size] of units) {
    if (bytes >= size) return `${Number((bytes / size).toFixed(2))} ${unit}`;
  }
  return `${bytes} B`;
}
