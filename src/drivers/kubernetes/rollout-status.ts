/** One Kubernetes object as the API returns it; only the fields readiness reads are typed. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    generation?: number;
    resourceVersion?: string;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
  };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  [key: string]: unknown;
}

/** Readiness of one object, with kubectl `rollout status` semantics. */
export type RolloutStatus =
  { state: 'ready'; detail: string } | { state: 'progressing'; detail: string } | { state: 'failed'; detail: string };

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

const num = (value: unknown): number => (typeof value === 'number' ? value : 0);

function conditions(obj: KubeObject): Condition[] {
  const list = obj.status?.['conditions'];
  return Array.isArray(list) ? (list as Condition[]) : [];
}

function condition(obj: KubeObject, type: string): Condition | undefined {
  return conditions(obj).find((c) => c.type === type);
}

/** "deployment/web", the way kubectl names objects. */
export function objectRef(obj: KubeObject): string {
  return `${obj.kind.toLowerCase()}/${obj.metadata.name}`;
}

/** Whether the controller has seen the current spec: without it every status field is stale. */
function observedCurrent(obj: KubeObject): boolean {
  return num(obj.status?.['observedGeneration']) >= num(obj.metadata.generation);
}

function deploymentStatus(obj: KubeObject): RolloutStatus {
  const ref = objectRef(obj);
  const progressing = condition(obj, 'Progressing');
  if (progressing?.reason === 'ProgressDeadlineExceeded') {
    return { state: 'failed', detail: `${ref}: ${progressing.message ?? 'progress deadline exceeded'}` };
  }
  if (!observedCurrent(obj))
    return {
      state: 'progressing',
      detail: `${ref}: waiting for the controller to observe generation ${num(obj.metadata.generation)}`,
    };
  const desired = obj.spec?.['replicas'] === undefined ? 1 : num(obj.spec['replicas']);
  const replicas = num(obj.status?.['replicas']);
  const updated = num(obj.status?.['updatedReplicas']);
  const available = num(obj.status?.['availableReplicas']);
  if (updated < desired) return { state: 'progressing', detail: `${ref}: ${updated} of ${desired} updated replicas` };
  if (replicas > updated)
    return { state: 'progressing', detail: `${ref}: ${replicas - updated} old replicas pending termination` };
  if (available < updated)
    return { state: 'progressing', detail: `${ref}: ${available} of ${updated} updated replicas available` };
  return { state: 'ready', detail: `${ref}: ${available} of ${desired} replicas available` };
}

function statefulSetStatus(obj: KubeObject): RolloutStatus {
  const ref = objectRef(obj);
  if (!observedCurrent(obj))
    return {
      state: 'progressing',
      detail: `${ref}: waiting for the controller to observe generation ${num(obj.metadata.generation)}`,
    };
  const desired = obj.spec?.['replicas'] === undefined ? 1 : num(obj.spec['replicas']);
  const ready = num(obj.status?.['readyReplicas']);
  if (ready < desired) return { state: 'progressing', detail: `${ref}: ${ready} of ${desired} replicas ready` };
  const strategy = (obj.spec?.['updateStrategy'] as { type?: string } | undefined)?.type ?? 'RollingUpdate';
  if (strategy === 'RollingUpdate') {
    const updated = num(obj.status?.['updatedReplicas']);
    if (updated < desired) return { state: 'progressing', detail: `${ref}: ${updated} of ${desired} replicas updated` };
    const current = obj.status?.['currentRevision'];
    const update = obj.status?.['updateRevision'];
    if (current !== update)
      return { state: 'progressing', detail: `${ref}: waiting for revision ${String(update)} to become current` };
  }
  return { state: 'ready', detail: `${ref}: ${ready} of ${desired} replicas ready` };
}

function daemonSetStatus(obj: KubeObject): RolloutStatus {
  const ref = objectRef(obj);
  if (!observedCurrent(obj))
    return {
      state: 'progressing',
      detail: `${ref}: waiting for the controller to observe generation ${num(obj.metadata.generation)}`,
    };
  const desired = num(obj.status?.['desiredNumberScheduled']);
  const updated = num(obj.status?.['updatedNumberScheduled']);
  const available = num(obj.status?.['numberAvailable']);
  if (updated < desired)
    return { state: 'progressing', detail: `${ref}: ${updated} of ${desired} updated pods scheduled` };
  if (available < desired)
    return { state: 'progressing', detail: `${ref}: ${available} of ${desired} updated pods available` };
  return { state: 'ready', detail: `${ref}: ${available} of ${desired} pods available` };
}

function jobStatus(obj: KubeObject): RolloutStatus {
  const ref = objectRef(obj);
  const failed = condition(obj, 'Failed');
  if (failed?.status === 'True')
    return { state: 'failed', detail: `${ref} failed: ${failed.message ?? failed.reason ?? 'Failed'}` };
  const complete = condition(obj, 'Complete');
  if (complete?.status === 'True') return { state: 'ready', detail: `${ref}: complete` };
  return {
    state: 'progressing',
    detail: `${ref}: ${num(obj.status?.['succeeded'])} succeeded, ${num(obj.status?.['active'])} active`,
  };
}

function podStatus(obj: KubeObject): RolloutStatus {
  const ref = objectRef(obj);
  const phase = obj.status?.['phase'];
  if (phase === 'Failed')
    return {
      state: 'failed',
      detail: `${ref} failed: ${String(obj.status?.['message'] ?? obj.status?.['reason'] ?? 'phase Failed')}`,
    };
  if (phase === 'Succeeded') return { state: 'ready', detail: `${ref}: succeeded` };
  return condition(obj, 'Ready')?.status === 'True'
    ? { state: 'ready', detail: `${ref}: ready` }
    : { state: 'progressing', detail: `${ref}: phase ${String(phase ?? 'Pending')}, not ready` };
}

function crdStatus(obj: KubeObject): RolloutStatus {
  const ref = objectRef(obj);
  return condition(obj, 'Established')?.status === 'True'
    ? { state: 'ready', detail: `${ref}: established` }
    : { state: 'progressing', detail: `${ref}: not established yet` };
}

/** Kinds whose readiness is read from their status; any other kind is ready once applied. */
export const watchedKinds = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'Job',
  'Pod',
  'CustomResourceDefinition',
] as const;

/** The readiness of `obj` as kubectl `rollout status` (or `wait --for=condition`) would judge it. */
export function rolloutStatus(obj: KubeObject): RolloutStatus {
  switch (obj.kind) {
    case 'Deployment':
      return deploymentStatus(obj);
    case 'StatefulSet':
      return statefulSetStatus(obj);
    case 'DaemonSet':
      return daemonSetStatus(obj);
    case 'Job':
      return jobStatus(obj);
    case 'Pod':
      return podStatus(obj);
    case 'CustomResourceDefinition':
      return crdStatus(obj);
    default:
      return { state: 'ready', detail: `${objectRef(obj)}: applied` };
  }
}

/** Service readiness when endpoints are awaited: at least one ready address in its EndpointSlices. */
export function endpointsStatus(service: string, slices: KubeObject[]): RolloutStatus {
  const ready = slices.reduce((count, slice) => {
    const endpoints = (slice['endpoints'] as { conditions?: { ready?: boolean } }[] | undefined) ?? [];
    return count + endpoints.filter((e) => e.conditions?.ready !== false).length;
  }, 0);
  return ready > 0
    ? { state: 'ready', detail: `service/${service}: ${ready} ready endpoints` }
    : { state: 'progressing', detail: `service/${service}: no ready endpoints` };
}

/**
 * How a one-shot service (a migration Job) has ended, judged from its live objects: `failed` when a Job or Pod
 * failed, `succeeded` when every Job completed and every Pod succeeded, otherwise still `running`. A Pod that is
 * merely Ready has not ended, so this is stricter than `rolloutStatus`.
 */
export function oneShotOutcome(objects: KubeObject[]): { outcome: 'running' | 'succeeded' | 'failed'; detail: string } {
  const runs = objects.filter((o) => o.kind === 'Job' || o.kind === 'Pod');
  const failed = runs.map(rolloutStatus).find((s) => s.state === 'failed');
  if (failed) return { outcome: 'failed', detail: failed.detail };
  const ended = (o: KubeObject) =>
    o.kind === 'Job' ? condition(o, 'Complete')?.status === 'True' : o.status?.['phase'] === 'Succeeded';
  if (runs.length > 0 && runs.every(ended))
    return { outcome: 'succeeded', detail: runs.map((o) => `${objectRef(o)}: completed`).join(', ') };
  return { outcome: 'running', detail: `${runs.length} run(s) not finished` };
}
