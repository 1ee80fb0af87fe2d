import { cpSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, parseDocument } from 'yaml';
import { parseManifest } from '../../src/drivers/kubernetes/manifest-reader';
import type { KubeObject } from '../../src/drivers/kubernetes/rollout-status';
import { loadPlan } from '../../src/plan/load-plan';
import { formatIssue } from '../../src/plan/plan-issue';
import type { ResolvedPlan } from '../../src/plan/types';
import { freshDir } from './test-env';

const example = join(__dirname, '..', '..', 'examples', 'kosmos');

/** The KOSMOS example loaded by the real loader, moved into a namespace of its own. */
export interface KosmosPlan {
  plan: ResolvedPlan;
  dir: string;
  /** Every object its manifests declare, as written (with the test namespace). */
  objects: KubeObject[];
}

/**
 * A copy of examples/kosmos whose namespace `kosmos` is `namespace` (in every manifest and in the plan), loaded
 * through `loadPlan`. The plan's own checks are removed: they target cluster DNS names that only resolve inside
 * the cluster, so readiness is the driver's rollout status alone.
 */
export function kosmosPlan(namespace: string): KosmosPlan {
  const dir = freshDir('kosmos');
  cpSync(example, dir, { recursive: true });
  const objects: KubeObject[] = [];
  const manifests = join(dir, 'manifests');
  for (const wave of readdirSync(manifests)) {
    for (const name of readdirSync(join(manifests, wave))) {
      const file = join(manifests, wave, name);
      const text = readFileSync(file, 'utf8')
        .replace(/^(\s*)namespace: kosmos$/gm, `$1namespace: ${namespace}`)
        .replace(/^(kind: Namespace\nmetadata:\n\s+name:) kosmos$/m, `$1 ${namespace}`);
      writeFileSync(file, text);
      objects.push(...parseManifest(text, file).map((doc) => doc.object));
    }
  }
  const leaked = objects.filter((o) => o.metadata.namespace === 'kosmos' || o.metadata.name === 'kosmos');
  if (leaked.length > 0) throw new Error(`still in namespace kosmos: ${leaked.map((o) => o.kind).join(', ')}`);
  const planFile = join(dir, 'plan.yaml');
  const doc = parseDocument(readFileSync(planFile, 'utf8'));
  const services = doc.get('services');
  if (!isMap(services)) throw new Error(`${planFile}: no services map`);
  for (const { key } of services.items) {
    doc.setIn(['services', key, 'kubernetes', 'namespace'], namespace);
    doc.deleteIn(['services', key, 'health']);
  }
  writeFileSync(planFile, doc.toString());
  const result = loadPlan(planFile);
  if (!result.ok) throw new Error(result.errors.map(formatIssue).join('\n'));
  return { plan: result.plan, dir, objects };
}
