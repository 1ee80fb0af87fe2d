import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubernetesDriver } from '../../src/drivers/kubernetes/kubernetes-driver';
import { TerminalServiceError } from '../../src/errors';
import { loadPlan } from '../../src/plan/load-plan';
import type { ResolvedPlan } from '../../src/plan/types';
import { diffPlans } from '../../src/update/plan-diff';

const deployment = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata: { name: zeus }
spec:
  selector: { matchLabels: { app: zeus } }
  template:
    metadata: { labels: { app: zeus } }
    spec: { containers: [{ name: zeus, image: ${image} }] }
`;

describe('a Kubernetes manifest edited in place', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'bootwave-manifest-edit-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function load(): ResolvedPlan {
    const result = loadPlan(join(dir, 'plan.yaml'));
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return result.plan;
  }

  it.each([
    ['a file', 'zeus.yaml', 'manifests/zeus.yaml'],
    ['a file in a folder', 'zeus.yaml', 'manifests'],
  ])('is a changed service to an update (%s named in the plan)', (_, file, entry) => {
    mkdirSync(join(dir, 'manifests'));
    writeFileSync(
      join(dir, 'plan.yaml'),
      `name: kosmos\nservices:\n  zeus:\n    kubernetes:\n      manifests: [${entry}]\n`,
    );
    writeFileSync(join(dir, 'manifests', file), deployment('zeus:1'));
    const before = load();
    expect(diffPlans(before, load()).map((c) => [c.service, c.kind])).toEqual([['zeus', 'unchanged']]);

    writeFileSync(join(dir, 'manifests', file), deployment('zeus:2'));
    expect(diffPlans(before, load()).map((c) => [c.service, c.kind])).toEqual([['zeus', 'changed']]);
  });

  it('is refused by the driver when a start comes after the edit (a rollback to the old files, a stale snapshot)', async () => {
    mkdirSync(join(dir, 'manifests'));
    writeFileSync(
      join(dir, 'plan.yaml'),
      `name: kosmos\nservices:\n  zeus:\n    kubernetes:\n      manifests: [manifests]\n`,
    );
    writeFileSync(join(dir, 'manifests', 'zeus.yaml'), deployment('zeus:1'));
    const zeus = load().services[0]!;
    writeFileSync(join(dir, 'manifests', 'zeus.yaml'), deployment('zeus:2'));
    const connect = jest.fn();
    const start = new KubernetesDriver(connect).start({ plan: 'kosmos', bootId: 'b1' }, zeus);
    await expect(start).rejects.toThrow(TerminalServiceError);
    await expect(start).rejects.toThrow(/manifest files of zeus .* changed after its plan was loaded/);
    expect(connect).not.toHaveBeenCalled();
  });
});
