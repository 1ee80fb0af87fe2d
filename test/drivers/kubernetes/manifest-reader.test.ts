import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyOrder, parseManifest, readManifests } from '../../../src/drivers/kubernetes/manifest-reader';
import type { KubernetesTarget } from '../../../src/plan/types';

describe('parseManifest', () => {
  it('names the file and document of a bad manifest', () => {
    expect(() =>
      parseManifest(
        'kind: A\napiVersion: v1\nmetadata: {name: a}\n---\nkind: Service\nmetadata: {name: b}\n',
        'm/x.yaml',
      ),
    ).toThrow('m/x.yaml (document 2): missing apiVersion');
    expect(() => parseManifest('apiVersion: v1\nmetadata: {name: a}\n', 'm/x.yaml')).toThrow(
      'm/x.yaml (document 1): missing kind',
    );
    expect(() => parseManifest('a: [1\n', 'm/y.yaml')).toThrow(/^m\/y\.yaml \(document 1\): invalid YAML: /);
  });

  it('skips empty documents', () => {
    expect(
      parseManifest('---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n', 'x').map((d) => d.source),
    ).toEqual(['x (document 2)']);
  });
});

describe('readManifests', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bootwave-manifests-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('reads folders sorted by name like kubectl apply -f dir/, then inline YAML, and orders them for apply', async () => {
    await mkdir(join(dir, 'm'));
    await writeFile(join(dir, 'm', 'b.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n');
    await writeFile(join(dir, 'm', 'a.yml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\n');
    await writeFile(join(dir, 'm', 'notes.txt'), 'not a manifest');
    const target: KubernetesTarget = {
      driver: 'kubernetes',
      manifests: [join(dir, 'm')],
      inline: ['apiVersion: v1\nkind: Namespace\nmetadata: {name: ns}\n'],
      namespace: 'default',
      waitForEndpoints: false,
    };
    const docs = await readManifests(target, dir);
    expect(docs.map((d) => d.source)).toEqual([
      'm/a.yml (document 1)',
      'm/b.yaml (document 1)',
      'inline manifest 1 (document 1)',
    ]);
    expect(applyOrder(docs).map((d) => d.object.kind)).toEqual(['Namespace', 'ConfigMap', 'Deployment']);
  });
});
