/**
 * The process scenario (bootwave only: Compose has no processes): three real HTTP services
 * (examples/services/health-service.js) a, b, c; the edit gives b and c a new `--name` (their answer says b-v2),
 * and for start-first also a new port each, so the old and the new version can run side by side. The client of a
 * moved service knows both addresses (the new one first), as a client behind a service registry would.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BootwaveDev } from './dev-server';
import { measureUpdate, type Target, type UpdateRun } from './measure';
import { waitServing } from './poller';
import { updateSpans } from './update-span';
import { bootwave, bootwaveUpdate, freePort, repoRoot, updateLabel, updateReport, withTeardown } from './tools';

export const processServices = ['a', 'b', 'c'] as const;
const changed: readonly string[] = ['b', 'c'];
const healthService = join(repoRoot, 'examples', 'services', 'health-service.js');

function planText(name: string, ports: Record<string, number>, v: number): string {
  const service = (s: string) => {
    const version = changed.includes(s) ? v : 1;
    const port = ports[`${s}-v${version}`] ?? ports[`${s}-v1`]!;
    return `  ${s}:
    wave: w0
    process: { command: [node, ${JSON.stringify(healthService)}, --name, ${s}-v${version}, --port, "${port}"] }
    health: { check: { kind: http, url: "http://127.0.0.1:${port}/health", bodyMatch: '"status":"healthy"' } }
`;
  };
  return `# bench/update: three real HTTP services; the edit renames b and c (and, start-first, moves them to new ports).
name: ${name}
defaults:
  health: { interval: 1s, timeout: 1s, startInterval: 50ms }
  stopGrace: 2s
waves:
  - { name: w0 }
services:
${processServices.map(service).join('')}`;
}

export type ProcessOrder = 'start-first' | 'stop-first';

/** `bootwave up` of the first version, then `bootwave update <flags>` of the edit (new ports: start-first). */
export async function bootwaveProcessUpdate(
  order: ProcessOrder,
  flags: string[],
  n: number,
  dev: BootwaveDev,
): Promise<UpdateRun> {
  const name = `bwupd-proc-${process.pid}-${n}`;
  const dir = mkdtempSync(join(tmpdir(), 'bwupd-process-'));
  const file = join(dir, 'plan.yaml');
  const ports: Record<string, number> = {};
  for (const s of processServices) ports[`${s}-v1`] = await freePort();
  if (order === 'start-first') for (const s of changed) ports[`${s}-v2`] = await freePort();
  writeFileSync(file, planText(name, ports, 1));
  const url = (key: string) => `http://127.0.0.1:${ports[key]}/health`;
  const targets: Target[] = processServices.map((s) => ({
    service: s,
    urls: ports[`${s}-v2`] ? [url(`${s}-v2`), url(`${s}-v1`)] : [url(`${s}-v1`)],
    ...(changed.includes(s) ? { newMarker: `"${s}-v2"` } : {}),
  }));
  const down = () => bootwave(['down', file], dev.env).finally(() => rmSync(dir, { recursive: true, force: true }));
  return withTeardown(down, async () => {
    await bootwave(['up', file], dev.env);
    await waitServing(
      processServices.map((s) => url(`${s}-v1`)),
      '-v1"',
    );
    writeFileSync(file, planText(name, ports, 2));
    const { ran, ...m } = await measureUpdate(targets, () => bootwaveUpdate(file, flags, dev.env));
    const report = Object.fromEntries(updateReport(ran.out));
    for (const s of changed)
      if (report[s]?.order !== order)
        throw new Error(`${s} was updated ${report[s]?.order}, not ${order}:\n${ran.out}`);
    const spans = await updateSpans(dev.address, name, ran);
    return { scenario: 'process' as const, tool: `${updateLabel(flags)}, ${order}`, run: n, ...m, report, spans };
  });
}
