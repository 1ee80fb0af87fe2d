import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { PlanError } from '../../errors';
import { manifestDocuments, manifestExtensions } from '../../plan/manifest-documents';
import type { KubernetesTarget } from '../../plan/types';
import type { KubeObject } from './rollout-status';

/** One manifest document with where it came from, so errors can name the file and document. */
export interface ManifestDoc {
  object: KubeObject;
  /** "manifests/wave-1/x.yaml (document 2)" or "inline manifest 1 (document 1)". */
  source: string;
}

/** Files of a folder the way `kubectl apply -f dir/` takes them: manifest extensions, sorted by name. */
async function expand(path: string): Promise<string[]> {
  const info = await stat(path).catch((cause: unknown) => {
    throw new PlanError(`Failed to read manifest ${path}: ${(cause as Error).message}`);
  });
  if (!info.isDirectory()) return [path];
  const names = (await readdir(path)).filter((n) => manifestExtensions.some((e) => n.endsWith(e))).sort();
  return names.map((n) => join(path, n));
}

/** Parses one multi-document YAML text; empty documents are skipped, like kubectl does. */
export function parseManifest(text: string, label: string): ManifestDoc[] {
  const { docs, problems } = manifestDocuments(text, label);
  if (problems.length > 0) throw new PlanError(problems[0]!);
  return docs.map((doc) => ({ object: doc.value as unknown as KubeObject, source: doc.source }));
}

/** Every document of a target: its manifest files and folders, then its inline YAML, in order. */
export async function readManifests(target: KubernetesTarget, relativeTo = process.cwd()): Promise<ManifestDoc[]> {
  const docs: ManifestDoc[] = [];
  for (const entry of target.manifests) {
    for (const file of await expand(entry)) {
      const text = await readFile(file, 'utf8');
      const label = file.startsWith(relativeTo + '/') ? file.slice(relativeTo.length + 1) : file;
      docs.push(...parseManifest(text, label));
    }
  }
  target.inline.forEach((text, i) => docs.push(...parseManifest(text, `inline manifest ${i + 1}`)));
  return docs;
}

/** Apply order: Namespaces, CRDs, then RBAC and configuration, then everything else (workloads). */
const kindRank: Record<string, number> = {
  Namespace: 0,
  CustomResourceDefinition: 1,
  ServiceAccount: 2,
  ClusterRole: 2,
  ClusterRoleBinding: 2,
  Role: 2,
  RoleBinding: 2,
  ConfigMap: 3,
  Secret: 3,
  PersistentVolumeClaim: 3,
  Service: 4,
};

/** Stable sort into apply order; within a rank the manifest order is kept. */
export function applyOrder(docs: ManifestDoc[]): ManifestDoc[] {
  return docs
    .map((doc, i) => ({ doc, i }))
    .sort((a, b) => (kindRank[a.doc.object.kind] ?? 5) - (kindRank[b.doc.object.kind] ?? 5) || a.i - b.i)
    .map((x) => x.doc);
}
