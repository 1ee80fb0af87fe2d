import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { loadPlan } from '../../src/plan/load-plan';
import { parseSize } from '../../src/plan/size';

/** The fields of a workload manifest this test reads. */
interface Workload {
  kind: string;
  metadata: { namespace: string };
  spec: { template: { spec: { containers: Array<{ resources?: { requests?: { memory?: string } } }> } } };
}

describe('loadPlan', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'bootwave-load-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('resolves relative paths against the plan file folder, not the current directory', () => {
    const file = join(dir, 'plan.yaml');
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, 'app.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: app }\n');
    writeFileSync(
      file,
      'name: demo\nservices:\n  p: { process: { command: [node, svc.js], cwd: ./app } }\n  k: { kubernetes: { manifests: [app.yaml] } }\n',
    );
    const result = loadPlan(file, { env: {} });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.plan.source).toBe(file);
    expect(result.plan.services.map((s) => s.target)).toEqual([
      expect.objectContaining({ driver: 'process', cwd: join(dir, 'app') }),
      expect.objectContaining({ driver: 'kubernetes', manifests: [join(dir, 'app.yaml')] }),
    ]);
  });

  test('takes ${VAR} values from the given environment', () => {
    const file = join(dir, 'plan.yaml');
    writeFileSync(file, 'name: demo\nservices:\n  p: { process: { command: [node, "${SCRIPT:-default.js}"] } }\n');
    const result = loadPlan(file, { env: { SCRIPT: 'env.js' } });
    expect(result.ok && result.plan.services[0]!.target).toMatchObject({ command: ['node', 'env.js'] });
  });

  test('the KOSMOS example points at manifests that exist, one per component', () => {
    const result = loadPlan('examples/kosmos/plan.yaml', { env: {} });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.plan.waves.map((w) => w.name)).toEqual([
      'network-tls',
      'database-identity',
      'cache-storage',
      'messaging',
      'observability',
      'security',
      'ai-knowledge',
      'agents',
    ]);
    for (const service of result.plan.services) {
      if (service.target.driver !== 'kubernetes') throw new Error(`${service.name} is not a kubernetes target`);
      expect(service.target.manifests.at(-1)).toMatch(
        new RegExp(`/examples/kosmos/manifests/wave-\\d/${service.name}\\.yaml$`),
      );
      for (const manifest of service.target.manifests) expect(existsSync(manifest)).toBe(true);
    }
  });

  test('KOSMOS manifests: namespace kosmos, the seed kinds, memory requests equal to the plan', () => {
    const result = loadPlan('examples/kosmos/plan.yaml', { env: {} });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const kinds = new Map<string, string>();
    for (const service of result.plan.services) {
      if (service.target.driver !== 'kubernetes') continue;
      const file = service.target.manifests.at(-1)!;
      const docs = parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS() as Workload);
      const workload = docs.find((d) => d.kind !== 'Service')!;
      expect(workload.metadata.namespace).toBe('kosmos');
      kinds.set(service.name, workload.kind);
      const request = workload.spec.template.spec.containers[0]!.resources?.requests?.memory;
      expect([service.name, request === undefined ? undefined : parseSize(request)]).toEqual([
        service.name,
        service.memoryBytes,
      ]);
      expect(service.oneShot).toBe(workload.kind === 'Job');
    }
    expect([...kinds].filter(([, kind]) => kind !== 'Deployment')).toEqual([
      ['postgresql', 'StatefulSet'],
      ['db-migrate', 'Job'],
      ['dragonfly', 'StatefulSet'],
      ['minio', 'StatefulSet'],
      ['nats', 'StatefulSet'],
      ['falco', 'DaemonSet'],
      ['pgvector', 'Job'],
    ]);
  });

  test('a --profile that no service has is an error (a typo would boot without its services); from the environment, not', () => {
    const file = join(dir, 'plan.yaml');
    writeFileSync(
      file,
      'name: demo\nservices:\n  api: { process: { command: [sleep, "1"] } }\n  ui: { profiles: [dev], process: { command: [sleep, "1"] } }\n',
    );
    const named = loadPlan(file, { env: {}, profiles: ['dev', 'web'] });
    expect(named.ok ? [] : named.errors.map((e) => `${e.path}: ${e.message}`)).toEqual([
      'profiles: --profile "web": no service has this profile (the plan\'s profiles: dev)',
    ]);
    expect(loadPlan(file, { env: {}, profiles: ['dev'] }).ok).toBe(true);
    expect(loadPlan(file, { env: { BOOTWAVE_PROFILES: 'dev,web' } }).ok).toBe(true);
  });
});
