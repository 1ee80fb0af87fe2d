import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPlan } from '../../src/plan/load-plan';
import { formatIssue } from '../../src/plan/plan-issue';

describe('docker.build in a plan file', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'bootwave-plan-build-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function load(build: string) {
    const file = join(dir, 'plan.yaml');
    writeFileSync(file, `name: p\nservices:\n  web: { docker: { image: p-web, build: ${build} } }\n`);
    return loadPlan(file, { env: {} });
  }
  const errors = (build: string) => {
    const result = load(build);
    return result.ok ? [] : result.errors.map(formatIssue).map((line) => line.split(dir).join('<dir>'));
  };

  test('the context resolves against the plan file', () => {
    mkdirSync(join(dir, 'app'));
    writeFileSync(join(dir, 'app', 'Dockerfile.dev'), 'FROM busybox:1\n');
    const result = load('{ context: app, dockerfile: Dockerfile.dev, args: { V: "1" }, target: run }');
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.plan.services[0]!.target).toMatchObject({
      image: 'p-web',
      build: { context: join(dir, 'app'), dockerfile: 'Dockerfile.dev', args: { V: '1' }, target: 'run' },
    });
  });

  test('a missing context or Dockerfile is refused before anything starts', () => {
    expect(errors('{ context: ./nope }')).toEqual([
      '<dir>/plan.yaml: services.web.docker.build.context: build context ./nope is not a folder (looked in <dir>/nope)',
    ]);
    mkdirSync(join(dir, 'app'));
    expect(errors('{ context: app }')).toEqual([
      '<dir>/plan.yaml: services.web.docker.build: Dockerfile not found in <dir>/app',
    ]);
  });
});
