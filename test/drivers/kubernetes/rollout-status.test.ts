import {
  endpointsStatus,
  oneShotOutcome,
  rolloutStatus,
  type KubeObject,
} from '../../../src/drivers/kubernetes/rollout-status';

const obj = (
  kind: string,
  spec: Record<string, unknown>,
  status: Record<string, unknown>,
  generation = 2,
): KubeObject => ({
  apiVersion: 'apps/v1',
  kind,
  metadata: { name: 'web', generation },
  spec,
  status,
});

describe('rolloutStatus', () => {
  it('keeps a Deployment progressing until the controller observed the current generation', () => {
    const d = obj(
      'Deployment',
      { replicas: 2 },
      { observedGeneration: 1, replicas: 2, updatedReplicas: 2, availableReplicas: 2 },
    );
    expect(rolloutStatus(d)).toEqual({
      state: 'progressing',
      detail: 'deployment/web: waiting for the controller to observe generation 2',
    });
  });

  it('follows kubectl rollout status for a Deployment, step by step', () => {
    const at = (status: Record<string, unknown>) =>
      rolloutStatus(obj('Deployment', { replicas: 3 }, { observedGeneration: 2, ...status }));
    expect(at({ replicas: 3, updatedReplicas: 1, availableReplicas: 3 })).toEqual({
      state: 'progressing',
      detail: 'deployment/web: 1 of 3 updated replicas',
    });
    expect(at({ replicas: 4, updatedReplicas: 3, availableReplicas: 3 })).toEqual({
      state: 'progressing',
      detail: 'deployment/web: 1 old replicas pending termination',
    });
    expect(at({ replicas: 3, updatedReplicas: 3, availableReplicas: 1 })).toEqual({
      state: 'progressing',
      detail: 'deployment/web: 1 of 3 updated replicas available',
    });
    expect(at({ replicas: 3, updatedReplicas: 3, availableReplicas: 3 })).toEqual({
      state: 'ready',
      detail: 'deployment/web: 3 of 3 replicas available',
    });
  });

  it('fails a Deployment at once on ProgressDeadlineExceeded with the condition message', () => {
    const d = obj(
      'Deployment',
      { replicas: 1 },
      {
        observedGeneration: 2,
        conditions: [
          {
            type: 'Progressing',
            status: 'False',
            reason: 'ProgressDeadlineExceeded',
            message: 'ReplicaSet "web-1" has timed out progressing.',
          },
        ],
      },
    );
    expect(rolloutStatus(d)).toEqual({
      state: 'failed',
      detail: 'deployment/web: ReplicaSet "web-1" has timed out progressing.',
    });
  });

  it('waits for a StatefulSet update revision to become current', () => {
    const s = obj(
      'StatefulSet',
      { replicas: 2 },
      { observedGeneration: 2, readyReplicas: 2, updatedReplicas: 2, currentRevision: 'a', updateRevision: 'b' },
    );
    expect(rolloutStatus(s)).toEqual({
      state: 'progressing',
      detail: 'statefulset/web: waiting for revision b to become current',
    });
    expect(rolloutStatus({ ...s, status: { ...s.status, currentRevision: 'b' } })).toEqual({
      state: 'ready',
      detail: 'statefulset/web: 2 of 2 replicas ready',
    });
  });

  it('judges a DaemonSet by updated and available pods', () => {
    const d = obj(
      'DaemonSet',
      {},
      { observedGeneration: 2, desiredNumberScheduled: 2, updatedNumberScheduled: 2, numberAvailable: 1 },
    );
    expect(rolloutStatus(d)).toEqual({ state: 'progressing', detail: 'daemonset/web: 1 of 2 updated pods available' });
  });

  it('completes or fails a Job by its conditions', () => {
    expect(rolloutStatus(obj('Job', {}, { conditions: [{ type: 'Complete', status: 'True' }] }))).toEqual({
      state: 'ready',
      detail: 'job/web: complete',
    });
    expect(
      rolloutStatus(
        obj(
          'Job',
          {},
          {
            conditions: [
              {
                type: 'Failed',
                status: 'True',
                reason: 'DeadlineExceeded',
                message: 'Job was active longer than specified deadline',
              },
            ],
          },
        ),
      ),
    ).toEqual({
      state: 'failed',
      detail: 'job/web failed: Job was active longer than specified deadline',
    });
  });

  it('treats kinds without a rollout as ready once applied, and waits for ready endpoints', () => {
    expect(rolloutStatus(obj('ConfigMap', {}, {}))).toEqual({ state: 'ready', detail: 'configmap/web: applied' });
    expect(endpointsStatus('web', [])).toEqual({ state: 'progressing', detail: 'service/web: no ready endpoints' });
    expect(
      endpointsStatus('web', [
        {
          apiVersion: 'discovery.k8s.io/v1',
          kind: 'EndpointSlice',
          metadata: { name: 's' },
          endpoints: [{ conditions: { ready: true } }],
        },
      ]),
    ).toEqual({
      state: 'ready',
      detail: 'service/web: 1 ready endpoints',
    });
  });
});

describe('oneShotOutcome', () => {
  const job = (conditions: { type: string; status: string; message?: string }[]) =>
    ({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate' }, status: { conditions } }) as KubeObject;
  const pod = (phase: string, ready = false) =>
    ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'once' },
      status: { phase, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
    }) as KubeObject;
  const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' } } as KubeObject;

  it('is running until every Job completed and every Pod succeeded', () => {
    expect(oneShotOutcome([configMap, job([])]).outcome).toBe('running');
    expect(oneShotOutcome([job([{ type: 'Complete', status: 'True' }]), pod('Running', true)]).outcome).toBe('running');
    expect(oneShotOutcome([configMap]).outcome).toBe('running');
  });

  it('succeeds once the Jobs are Complete and the Pods Succeeded', () => {
    expect(oneShotOutcome([configMap, job([{ type: 'Complete', status: 'True' }]), pod('Succeeded')])).toEqual({
      outcome: 'succeeded',
      detail: 'job/migrate: completed, pod/once: completed',
    });
  });

  it('fails with the Job condition message as soon as one run failed', () => {
    expect(
      oneShotOutcome([
        job([{ type: 'Failed', status: 'True', message: 'Job has reached the specified backoff limit' }]),
        pod('Succeeded'),
      ]),
    ).toEqual({ outcome: 'failed', detail: 'job/migrate failed: Job has reached the specified backoff limit' });
  });
});
