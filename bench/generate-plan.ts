/**
 * Generated benchmark plans: `services` cheap processes in `waves` waves with a seeded random dependency graph.
 * Each service is `/bin/sleep 3600` with no health check (ready once its process runs), so a 1,000-service plan
 * fits on a 2-core machine and the numbers measure the orchestrator, not the services.
 */

export interface GeneratedPlanOptions {
  name: string;
  services: number;
  waves: number;
  seed: number;
}

/** mulberry32: a tiny seeded PRNG, so every run of the benchmark boots the same graph. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The plan as YAML text for the real loader: every service of wave w > 0 depends on 1–3 services of earlier
 * waves, and about one in five also on an earlier service of its own wave (a same-wave edge).
 */
export function generatePlanYaml(options: GeneratedPlanOptions): string {
  const random = seededRandom(options.seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const perWave = Math.ceil(options.services / options.waves);
  const byWave: string[][] = [];
  const lines = [`name: ${options.name}`, 'defaults:', '  startTimeout: 10m', '  stopGrace: 2s', 'waves:'];
  for (let w = 0; w < options.waves; w++) lines.push(`  - { name: w${w} }`);
  lines.push('services:');
  for (let i = 0; i < options.services; i++) {
    const w = Math.min(Math.floor(i / perWave), options.waves - 1);
    const name = `s${String(i).padStart(4, '0')}`;
    const earlier = byWave.slice(0, w).flat();
    const sameWave = byWave[w] ?? [];
    const deps = new Set<string>();
    if (earlier.length > 0) {
      const count = 1 + Math.floor(random() * 3);
      while (deps.size < Math.min(count, earlier.length)) deps.add(pick(earlier));
    }
    if (sameWave.length > 0 && random() < 0.2) deps.add(pick(sameWave));
    lines.push(`  ${name}:`);
    lines.push(`    wave: w${w}`);
    lines.push('    process: { command: [/bin/sleep, "3600"] }');
    lines.push('    expectedStart: 10ms');
    if (deps.size > 0) lines.push(`    dependsOn: [${[...deps].join(', ')}]`);
    (byWave[w] ??= []).push(name);
  }
  return `${lines.join('\n')}\n`;
}
