import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inEmptyFolder, runCli } from './capture-io';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bootwave-validate-'));
  process.exitCode = undefined;
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  process.exitCode = undefined;
});

const run = runCli;

describe('bootwave validate', () => {
  test.each(['kosmos', 'cascade-mainpc', 'cascade-pc2'])('accepts examples/%s', async (example) => {
    const result = await run('validate', `examples/${example}/plan.yaml`);
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toMatch(
      new RegExp(`^examples/${example}/plan\\.yaml: plan ${example} is valid: \\d+ services? in \\d+ waves?$`),
    );
  });

  test('accepts the SomaAgent example with its profiles', async () => {
    expect(await run('validate', 'examples/somaagent/plan.yaml', '--profile', 'core', 'dev')).toEqual({
      code: 0,
      out: 'examples/somaagent/plan.yaml: plan somaagent is valid: 9 services in 5 waves',
      err: '',
    });
  });

  test('prints every problem with file and path, exit code 1, no stack trace', async () => {
    const file = join(dir, 'plan.yaml');
    writeFileSync(
      file,
      'name: demo\nservices:\n  api: { process: { command: [node] }, dependsOn: [postgress, cache] }\n  postgres: { process: { command: [node] }, startTimeout: later }\n',
    );
    const result = await run('validate', file);
    expect(result.code).toBe(1);
    expect(result.out).toBe('');
    expect(result.err.split('\n')).toEqual([
      `${file}: services.postgres.startTimeout: invalid duration "later": expected e.g. 250ms, 10s, 2m, 1m30s or milliseconds as a number`,
      `${file}: services.api.dependsOn[0]: unknown service "postgress" (did you mean "postgres"?)`,
      `${file}: services.api.dependsOn[1]: unknown service "cache"`,
      `bootwave: 3 problems in ${file}`,
    ]);
  });

  test('a missing manifest is named with its resolved path', async () => {
    const file = join(dir, 'plan.yaml');
    writeFileSync(file, 'name: demo\nservices:\n  k: { kubernetes: { manifests: [manifests/nope.yaml] } }\n');
    const result = await run('validate', file);
    expect(result.code).toBe(1);
    expect(result.err.split('\n')[0]).toBe(
      `${file}: services.k.kubernetes.manifests[0]: manifest not found: ${join(dir, 'manifests/nope.yaml')}`,
    );
  });

  test('a manifest with invalid YAML or without a kind is named with its file and document, with the other problems', async () => {
    const file = join(dir, 'plan.yaml');
    const manifest = join(dir, 'app.yaml');
    writeFileSync(manifest, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\nkind: [oops\n');
    writeFileSync(
      file,
      'name: demo\nservices:\n  app: { kubernetes: { manifests: [app.yaml] } }\n' +
        '  web: { kubernetes: { inline: ["apiVersion: v1\\nmetadata: {name: b}\\n"] }, helth: {} }\n',
    );
    const result = await run('validate', file);
    expect(result.code).toBe(1);
    expect(result.err.split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(
          `^${file}: services\\.app\\.kubernetes\\.manifests\\[0\\]: ${manifest} \\(document 2\\): invalid YAML: `,
        ),
      ),
      `${file}: services.web.helth: unknown field (did you mean "health"?)`,
      `${file}: services.web.kubernetes.inline[0]: inline manifest 1 (document 1): missing kind`,
      `bootwave: 3 problems in ${file}`,
    ]);
  });

  test('a YAML syntax error shows line and column', async () => {
    const file = join(dir, 'plan.json');
    writeFileSync(file, '{"name": "demo",\n "services": {"a": {"process": [1, 2}}\n}\n');
    const result = await run('validate', file);
    expect(result.code).toBe(1);
    expect(result.err.split('\n')[0]).toMatch(new RegExp(`^${file.replace(/[.]/g, '\\.')}:2:\\d+: `));
  });

  test('a missing file is a user error', async () => {
    const file = join(dir, 'absent.yaml');
    expect(await run('validate', file)).toEqual({
      code: 1,
      out: '',
      err: `${file}: Failed to read plan: no such file\nbootwave: 1 problem in ${file}`,
    });
  });

  test('usage errors exit with 2', async () => {
    expect((await inEmptyFolder(() => run('validate'))).code).toBe(2);
    expect((await run('validate', 'x.yaml', '--bogus')).code).toBe(2);
    expect((await run('frobnicate')).code).toBe(2);
  });
});
