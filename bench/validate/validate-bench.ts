/**
 * How long `bootwave validate` takes as plans grow (issue 10: "no input makes validate take more than a second per
 * thousand services"). For 1,000 and 5,000 services it times, in this process (median of the runs): a valid plan
 * (the seeded random graph of the boot benchmarks), the same plan with a problem in every service (a typo'd field
 * and an unknown dependency: the error path), and a Compose file of as many services sharing settings through
 * anchors. Then the CLI end to end, a fresh Node process, on the 5,000-service plan. Exits 1 when any figure is
 * over one second per thousand services.
 * Usage (via bench/validate/run.sh): node validate-bench.js [--runs 3]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { importCompose } from '../../src/compose/import-compose';
import { loadPlanText } from '../../src/plan/load-plan-text';
import { generatePlanYaml } from '../generate-plan';

const runs = process.argv.includes('--runs') ? Number(process.argv[process.argv.indexOf('--runs') + 1]) || 3 : 3;
const repoRoot = resolve(__dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'bootwave-validate-bench-'));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Median wall and CPU milliseconds of `fn`; CPU is this process's, so NaN for a child process (`inChild`). */
function time(fn: () => void, inChild = false): { wallMs: number; cpuMs: number } {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const own = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    fn();
    wall.push(Number(process.hrtime.bigint() - t0) / 1e6);
    const used = process.cpuUsage(own);
    cpu.push(inChild ? Number.NaN : (used.user + used.system) / 1000);
  }
  return { wallMs: median(wall), cpuMs: median(cpu) };
}

function brokenPlan(services: number): string {
  const lines = ['name: broken', 'services:'];
  for (let i = 0; i < services; i++)
    lines.push(`  s${i}: { process: { command: [x] }, helth: {}, dependsOn: [s${i + 1}x] }`);
  return `${lines.join('\n')}\n`;
}

function composeFile(services: number): string {
  const lines = ['x-common: &common', '  image: bootwave-test/app:1', '  restart: unless-stopped', 'services:'];
  for (let i = 0; i < services; i++) {
    lines.push(`  s${i}:`, '    <<: *common', `    environment: { ID: "${i}" }`);
    if (i > 0) lines.push(`    depends_on: [s${Math.floor(i / 2)}]`);
  }
  return `${lines.join('\n')}\n`;
}

const rows: Array<{ what: string; services: number; ms: { wallMs: number; cpuMs: number } }> = [];
for (const services of [1000, 5000]) {
  const plan = generatePlanYaml({ name: 'bench', services, waves: 8, seed: 42 });
  rows.push({
    what: 'valid plan',
    services,
    ms: time(() => {
      if (!loadPlanText(plan, { file: 'plan.yaml', env: {} }).ok) throw new Error('the generated plan must be valid');
    }),
  });
  const broken = brokenPlan(services);
  rows.push({
    what: 'plan, 2 problems per service',
    services,
    ms: time(() => {
      const result = loadPlanText(broken, { file: 'plan.yaml', env: {} });
      if (result.ok || result.errors.length !== 2 * services) throw new Error('expected two problems per service');
    }),
  });
  const file = join(dir, `compose-${services}.yaml`);
  writeFileSync(file, composeFile(services));
  rows.push({
    what: 'Compose file (anchors)',
    services,
    ms: time(() => {
      if (!importCompose(file, { env: {} }).ok) throw new Error('the generated Compose file must import');
    }),
  });
}
const planFile = join(dir, 'plan-5000.yaml');
writeFileSync(planFile, generatePlanYaml({ name: 'bench', services: 5000, waves: 8, seed: 42 }));
rows.push({
  what: 'CLI `bootwave validate` (new process)',
  services: 5000,
  ms: time(() => execFileSync(process.execPath, [join(repoRoot, 'dist/cli/main.js'), 'validate', planFile]), true),
});
rmSync(dir, { recursive: true, force: true });

// On a shared machine wall time includes waiting for a core: the bound is judged on CPU time, wall time is shown
// beside it with the load average so the two can be told apart.
console.log(
  `median of ${runs} runs; node ${process.version}; load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
console.log('| what | services | wall ms | CPU ms | CPU ms per 1,000 services |');
console.log('| --- | ---: | ---: | ---: | ---: |');
let over = false;
for (const row of rows) {
  const cpu = Number.isNaN(row.ms.cpuMs) ? undefined : row.ms.cpuMs;
  const per = ((cpu ?? row.ms.wallMs) / row.services) * 1000;
  over ||= per > 1000;
  console.log(
    `| ${row.what} | ${row.services.toLocaleString('en-US')} | ${row.ms.wallMs.toFixed(0)} | ${cpu === undefined ? '–' : cpu.toFixed(0)} | ${per.toFixed(0)}${cpu === undefined ? ' (wall)' : ''} |`,
  );
}
if (over) {
  console.log('over the bound: more than 1 s per 1,000 services');
  process.exitCode = 1;
}
