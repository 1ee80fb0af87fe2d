/**
 * The Docker scenario: a Compose file of three busybox web services (a, b, c), each serving its VERSION on /; the
 * edit changes VERSION of b and c (a stays as it is). Each tool boots the first version on a project of its own,
 * then applies the edited file while a client polls every service.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BootwaveDev } from './dev-server';
import { measureUpdate, type Target, type UpdateRun } from './measure';
import { waitServing } from './poller';
import { updateSpans } from './update-span';
import { bootwave, bootwaveUpdate, freePort, run, updateLabel, updateReport, withTeardown } from './tools';

export const dockerServices = ['a', 'b', 'c'] as const;
export const dockerChanged = ['b', 'c'] as const;

/**
 * The file, at version `v` of the changed services. The shell traps TERM so a container stops at once (busybox
 * httpd as PID 1 would ignore it until the grace period ends): both tools pay the same, short, stop.
 */
function composeText(ports: Record<string, number>, v: number): string {
  const service = (name: string) => {
    const version = (dockerChanged as readonly string[]).includes(name) ? `${name}-v${v}` : `${name}-v1`;
    return `  ${name}:
    <<: *web
    environment: { VERSION: ${version} }
    ports: ["127.0.0.1:${ports[name]}:8080"]
    x-bootwave:
      health: { check: { kind: http, url: "http://127.0.0.1:${ports[name]}/index.html" }, startInterval: 250ms }
`;
  };
  return `# bench/update: three web services; the edit changes VERSION of ${dockerChanged.join(' and ')}.
x-web: &web
  image: bootwave-test/busybox:1
  command: ["sh", "-c", "mkdir -p /www; echo $$VERSION > /www/index.html; trap 'exit 0' TERM; httpd -f -p 8080 -h /www & wait"]
  stop_grace_period: 2s
  healthcheck:
    test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/index.html"]
    interval: 1s
    timeout: 2s
    retries: 30
services:
${dockerServices.map(service).join('')}`;
}

/** A project of its own: a fresh file (version 1), free ports, and what a client polls. */
async function project(kind: string, n: number) {
  const name = `bwupd-${kind}-${process.pid}-${n}`;
  const dir = mkdtempSync(join(tmpdir(), 'bwupd-docker-'));
  const file = join(dir, 'docker-compose.yml');
  const ports: Record<string, number> = {};
  for (const s of dockerServices) ports[s] = await freePort();
  writeFileSync(file, composeText(ports, 1));
  const urls = dockerServices.map((s) => `http://127.0.0.1:${ports[s]}/`);
  const targets: Target[] = dockerServices.map((s) => ({
    service: s,
    urls: [`http://127.0.0.1:${ports[s]}/`],
    ...((dockerChanged as readonly string[]).includes(s) ? { newMarker: `${s}-v2` } : {}),
  }));
  return {
    name,
    file,
    targets,
    servingV1: () => waitServing(urls, '-v1'),
    edit: () => writeFileSync(file, composeText(ports, 2)),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export type ComposeTool = 'compose-1.29' | 'compose-v2';

/**
 * `docker-compose up -d` (1.29: returns once the containers are recreated and started) or Compose v2's
 * `docker compose up -d --wait` (returns once they are healthy: the health gate, as bootwave's).
 */
export async function composeUpdate(tool: ComposeTool, n: number): Promise<UpdateRun> {
  const bin = tool === 'compose-v2' ? process.env.BOOTWAVE_COMPOSE_V2 : 'docker-compose';
  if (!bin) throw new Error('BOOTWAVE_COMPOSE_V2 is not set: run the benchmark through bench/update/run.sh');
  const p = await project('compose', n);
  const env = { ...process.env, COMPOSE_PROJECT_NAME: p.name };
  const wait = tool === 'compose-v2' ? ['--wait', '--wait-timeout', '300'] : [];
  const down = () => run(bin, ['-f', p.file, 'down', '-v', '-t', '1'], env).finally(p.remove);
  return withTeardown(down, async () => {
    await run(bin, ['-f', p.file, 'up', '-d', ...wait], env);
    await p.servingV1();
    p.edit();
    const m = await measureUpdate(p.targets, () => run(bin, ['-f', p.file, 'up', '-d', ...wait], env));
    const label = tool === 'compose-v2' ? '`docker compose up -d --wait` (v2.40)' : '`docker-compose up -d` (1.29)';
    return {
      scenario: 'docker' as const,
      tool: label,
      run: n,
      wallMs: m.wallMs,
      newVersionMs: m.newVersionMs,
      polls: m.polls,
      load1: m.load1,
    };
  });
}

/** `bootwave up` of the first version (supervised by `bootwave dev`), then `bootwave update <flags>` of the edit. */
export async function bootwaveDockerUpdate(flags: string[], n: number, dev: BootwaveDev): Promise<UpdateRun> {
  const p = await project('bootwave', n);
  const env = { ...dev.env, COMPOSE_PROJECT_NAME: p.name };
  const down = () => bootwave(['down', p.file], env).finally(p.remove);
  return withTeardown(down, async () => {
    await bootwave(['up', p.file], env);
    await p.servingV1();
    p.edit();
    const { ran, ...m } = await measureUpdate(p.targets, () => bootwaveUpdate(p.file, flags, env));
    const report = Object.fromEntries(updateReport(ran.out));
    const spans = await updateSpans(dev.address, p.name, ran);
    return { scenario: 'docker' as const, tool: updateLabel(flags), run: n, ...m, report, spans };
  });
}
