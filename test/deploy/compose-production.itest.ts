import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// deploy/docker-compose.production.yml as Docker Compose v2 itself reads it (`config` validates the file against
// the Compose schema and resolves the include of docker-compose.temporal.yml): Temporal, PostgreSQL, the Web UI and
// the bootwave workers in one project.
const repoRoot = join(__dirname, '..', '..');

interface Service {
  image?: string;
  depends_on?: Record<string, { condition: string }>;
  environment?: Record<string, string>;
  network_mode?: string;
  deploy?: { replicas?: number };
  read_only?: boolean;
  cap_drop?: string[];
  volumes?: { source: string; target: string }[];
}

let composeBin: string;
const config = (env: Record<string, string> = {}) =>
  JSON.parse(
    execFileSync(
      composeBin,
      ['-f', join(repoRoot, 'deploy', 'docker-compose.production.yml'), 'config', '--format', 'json'],
      { encoding: 'utf8', env: { ...process.env, ...env } },
    ),
  ) as { services: Record<string, Service> };

beforeAll(() => {
  composeBin = execFileSync('bash', ['-c', 'source scripts/lib/compose.sh && bootwave_ensure_compose_v2'], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  })
    .trim()
    .split('\n')
    .pop()!;
}, 1_800_000);

describe('deploy/docker-compose.production.yml', () => {
  it('runs Temporal with PostgreSQL and the Web UI from docker-compose.temporal.yml, and the workers', () => {
    const { services } = config();
    expect(Object.keys(services).sort()).toEqual([
      'bootwave-worker',
      'postgresql',
      'temporal',
      'temporal-namespace',
      'temporal-schema',
      'temporal-ui',
    ]);
    expect(services.temporal?.depends_on?.['temporal-schema']?.condition).toBe('service_completed_successfully');
  });

  it('starts the workers once Temporal is healthy and the namespace has its search attributes', () => {
    const worker = config().services['bootwave-worker']!;
    expect(worker.depends_on).toEqual({
      temporal: expect.objectContaining({ condition: 'service_healthy' }),
      'temporal-namespace': expect.objectContaining({ condition: 'service_completed_successfully' }),
    });
  });

  it('runs the image the test command builds, scaled, locked down, with the engine socket', () => {
    const worker = config().services['bootwave-worker']!;
    const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
    expect(worker.image).toBe(`bootwave-worker:${version}`);
    expect(worker.deploy?.replicas).toBe(2);
    expect(worker.read_only).toBe(true);
    expect(worker.cap_drop).toEqual(['ALL']);
    expect(worker.network_mode).toBe('host');
    expect(worker.environment?.TEMPORAL_ADDRESS).toBe('127.0.0.1:7233');
    expect(worker.volumes?.map((v) => v.target)).toEqual(['/var/run/docker.sock', '/var/lib/bootwave']);
  });

  it('names the host of a machine that serves placed services', () => {
    const worker = config({ BOOTWAVE_HOST: 'pc2' }).services['bootwave-worker']!;
    expect(worker.environment?.BOOTWAVE_HOST).toBe('pc2');
  });
});
