import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { generatePlanYaml } from '../generate-plan';

export interface KubePlanOptions {
  /** Folder for plan.yaml and manifests/. */
  dir: string;
  name: string;
  namespace: string;
  services: number;
  waves: number;
  seed: number;
}

interface GeneratedService {
  wave: string;
  process?: unknown;
  expectedStart?: string;
  dependsOn?: string[];
  kubernetes?: { manifests: string[]; namespace: string };
}

/** One Deployment of one replica; kwok runs its pod on a fake node (the image is never pulled). */
function deploymentYaml(name: string, namespace: string): string {
  return stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels: { app: name, 'app.kubernetes.io/part-of': 'bwbench-scale' } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', image: 'registry.local/bwbench/app:1' }] },
      },
    },
  });
}

/**
 * A plan of `services` Deployments in `waves` waves, one manifest file each, with the dependency graph of the
 * process benchmark's generated plans (bench/generate-plan.ts, same seed): every service of a later wave depends
 * on 1–3 services of earlier waves, about one in five also on one of its own wave. Returns the plan file.
 */
export function generateKubePlan(options: KubePlanOptions): string {
  const plan = parse(generatePlanYaml(options)) as {
    defaults: Record<string, string>;
    services: Record<string, GeneratedService>;
  };
  const manifests = join(options.dir, 'manifests');
  mkdirSync(manifests, { recursive: true });
  plan.defaults = { startTimeout: '10m' };
  for (const [name, service] of Object.entries(plan.services)) {
    const file = join(manifests, `${name}.yaml`);
    writeFileSync(file, deploymentYaml(name, options.namespace));
    delete service.process;
    service.expectedStart = '1s';
    service.kubernetes = { manifests: [`manifests/${name}.yaml`], namespace: options.namespace };
  }
  const planFile = join(options.dir, 'plan.yaml');
  writeFileSync(planFile, stringify(plan));
  return planFile;
}
