import { PlanError } from '../../errors';
import type { PlanIssue } from '../../plan/plan-issue';
import type { KubernetesTarget, ResolvedPlan, ServiceSpec } from '../../plan/types';
import { apiErrorMessage, type KubeClient } from './kube-client';
import { crdKind } from './kubernetes-driver';
import { readManifests, type ManifestDoc } from './manifest-reader';

export interface ManifestCheck {
  errors: PlanIssue[];
  /** The cluster could not be asked (e.g. the workers run in it and this machine has no kubeconfig). */
  warnings: PlanIssue[];
}

type KubeService = ServiceSpec & { target: KubernetesTarget };

/**
 * Finds what is wrong in a plan's Kubernetes manifests before anything starts, each problem naming the manifest
 * file and document: unreadable files, invalid YAML, documents without apiVersion/kind/name; and, when `connect`
 * is given, kinds the API server does not serve (and no CRD of the plan defines) and namespaces that neither exist
 * nor are created by the plan.
 */
export async function checkManifests(
  plan: ResolvedPlan,
  planFile: string,
  connect?: (context?: string) => Promise<KubeClient>,
): Promise<ManifestCheck> {
  const check: ManifestCheck = { errors: [], warnings: [] };
  const read: { service: KubeService; docs: ManifestDoc[] }[] = [];
  for (const service of plan.services) {
    if (service.target.driver !== 'kubernetes') continue;
    try {
      read.push({ service: service as KubeService, docs: await readManifests(service.target) });
    } catch (error) {
      if (!(error instanceof PlanError)) throw error;
      check.errors.push({ file: planFile, path: `services.${service.name}.kubernetes`, message: error.message });
    }
  }
  if (!connect || read.length === 0 || check.errors.length > 0) return check;

  const all = read.flatMap((r) => r.docs);
  const crdKinds = new Set(
    all.filter((d) => d.object.kind === 'CustomResourceDefinition').map((d) => crdKind(d.object)),
  );
  const planNamespaces = new Set([
    ...read.map((r) => r.service.target.namespace),
    ...all.filter((d) => d.object.kind === 'Namespace').map((d) => d.object.metadata.name),
  ]);
  const clients = new Map<string, Promise<KubeClient>>();
  for (const { service, docs } of read) {
    const path = `services.${service.name}.kubernetes`;
    const key = service.target.context ?? '';
    if (!clients.has(key)) clients.set(key, connect(service.target.context));
    try {
      const client = await clients.get(key)!;
      for (const doc of docs) {
        const problem = await documentProblem(client, doc, service.target.namespace, crdKinds, planNamespaces);
        if (problem) check.errors.push({ file: planFile, path, message: `${doc.source}: ${problem}` });
      }
    } catch (error) {
      check.warnings.push({
        file: planFile,
        path,
        message: `manifests not checked against the cluster: ${apiErrorMessage(error)}`,
      });
    }
  }
  return check;
}

async function documentProblem(
  client: KubeClient,
  doc: ManifestDoc,
  defaultNamespace: string,
  crdKinds: Set<string>,
  planNamespaces: Set<string>,
): Promise<string | undefined> {
  const { apiVersion, kind, metadata } = doc.object;
  const info = await client.resource(apiVersion, kind);
  if (!info) return crdKinds.has(`${apiVersion}/${kind}`) ? undefined : `unknown kind ${kind} in ${apiVersion}`;
  const namespace = info.namespaced ? (metadata.namespace ?? defaultNamespace) : undefined;
  if (namespace === undefined || planNamespaces.has(namespace)) return undefined;
  const exists = await client.read({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  return exists ? undefined : `namespace ${namespace} does not exist and the plan does not create it`;
}
