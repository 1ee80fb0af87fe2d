import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkManifests } from '../../../src/drivers/kubernetes/check-manifests';
import type { KubeClient } from '../../../src/drivers/kubernetes/kube-client';
import type { ResolvedPlan, ServiceSpec } from '../../../src/plan/types';

const service = (name: string, inline: string[], manifests: string[] = []): ServiceSpec => ({
  name,
  wave: 'w',
  target: { driver: 'kubernetes', manifests, inline, namespace: 'apps', waitForEndpoints: false },
  dependsOn: [],
  critical: true,
  oneShot: false,
  startTimeoutMs: 1000,
  expectedStartMs: 100,
  profiles: [],
});
const plan = (...services: ServiceSpec[]) => ({ name: 'p', waves: [], services }) as unknown as ResolvedPlan;

/** What the fake cluster serves: core kinds, Deployments and CRDs. */
const served: Record<string, { plural: string; namespaced: boolean }> = {
  'v1/ConfigMap': { plural: 'configmaps', namespaced: true },
  'v1/Namespace': { plural: 'namespaces', namespaced: false },
  'apps/v1/Deployment': { plural: 'deployments', namespaced: true },
  'apiextensions.k8s.io/v1/CustomResourceDefinition': { plural: 'customresourcedefinitions', namespaced: false },
};

/** A cluster that serves `served` and has the namespaces `apps` and `existing`. */
const fakeCluster = (): KubeClient =>
  ({
    resource: async (apiVersion: string, kind: string) => served[`${apiVersion}/${kind}`],
    read: async (ref: { metadata: { name: string } }) =>
      ['apps', 'existing'].includes(ref.metadata.name) ? ref : undefined,
  }) as unknown as KubeClient;

const configMap = (name: string, namespace?: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}${namespace ? `, namespace: ${namespace}` : ''}}\n`;

describe('checkManifests', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'bootwave-check-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('offline: names the file and document of invalid YAML and of a document without a kind', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, `${configMap('a')}---\nkind: [oops\n`);
    const result = await checkManifests(
      plan(service('one', [], [bad]), service('two', ['apiVersion: v1\nmetadata: {name: x}\n'])),
      'plan.yaml',
    );
    expect(result.warnings).toEqual([]);
    expect(result.errors).toEqual([
      {
        file: 'plan.yaml',
        path: 'services.one.kubernetes',
        message: expect.stringMatching(/^.*bad\.yaml \(document 2\): invalid YAML: /),
      },
      {
        file: 'plan.yaml',
        path: 'services.two.kubernetes',
        message: 'inline manifest 1 (document 1): missing kind',
      },
    ]);
  });

  it('with a cluster: unknown kinds and namespaces that neither exist nor are created by the plan', async () => {
    const result = await checkManifests(
      plan(
        service('ns', ['apiVersion: v1\nkind: Namespace\nmetadata: {name: made-by-plan}\n']),
        service('ok', [[configMap('a'), configMap('b', 'existing'), configMap('c', 'made-by-plan')].join('---\n')]),
        service('bad', [`${configMap('d', 'nowhere')}---\napiVersion: apps/v1\nkind: Foo\nmetadata: {name: e}\n`]),
      ),
      'plan.yaml',
      async () => fakeCluster(),
    );
    expect(result).toEqual({
      warnings: [],
      errors: [
        {
          file: 'plan.yaml',
          path: 'services.bad.kubernetes',
          message: 'inline manifest 1 (document 1): namespace nowhere does not exist and the plan does not create it',
        },
        {
          file: 'plan.yaml',
          path: 'services.bad.kubernetes',
          message: 'inline manifest 1 (document 2): unknown kind Foo in apps/v1',
        },
      ],
    });
  });

  it('accepts custom objects whose CRD the plan applies', async () => {
    const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions: [{name: v1, served: true, storage: true}]
`;
    const widget = 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n';
    const result = await checkManifests(
      plan(service('crd', [crd]), service('widget', [widget])),
      'plan.yaml',
      async () => fakeCluster(),
    );
    expect(result).toEqual({ errors: [], warnings: [] });
  });

  it('warns, and does not fail, when the cluster cannot be reached', async () => {
    const result = await checkManifests(plan(service('a', [configMap('a')])), 'plan.yaml', async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:6443');
    });
    expect(result).toEqual({
      errors: [],
      warnings: [
        {
          file: 'plan.yaml',
          path: 'services.a.kubernetes',
          message: 'manifests not checked against the cluster: connect ECONNREFUSED 127.0.0.1:6443',
        },
      ],
    });
  });
});
