import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inEmptyFolder, runCli } from './capture-io';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bootwave-bad-input-'));
  process.exitCode = undefined;
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  process.exitCode = undefined;
});

const run = runCli;

const proc = 'process: { command: [node] }';

/** File name, content, and the first line `validate` must print (after the file name). */
const badInputs: Array<[string, string | Buffer, string]> = [
  [
    'plan.json',
    '{"name": "p", "services": {"a": {"process": {"command": ["x"]}}},}',
    ':1:66: invalid JSON: trailing comma (JSON allows none before "}" or "]")',
  ],
  [
    'plan.yaml',
    `name: p\nservices:\n  a: { ${proc}, health: { check: { kind: tcp, host: h, port: "99999" } } }\n`,
    ': services.a.health.check.port: must be a port number from 1 to 65535, got "99999"',
  ],
  [
    'plan.yaml',
    'name: p\nservices:\n  a: { docker: { image: x, ports: ["70000:80"] } }\n',
    ': services.a.docker.ports[0]: host port must be from 1 to 65535, got 70000 in "70000:80"',
  ],
  [
    'plan.yaml',
    'name: p\nservices:\n  a: { docker: { image: x, ports: ["18081:0"] } }\n',
    ': services.a.docker.ports[0]: container port must be from 1 to 65535, got 0 in "18081:0"',
  ],
  [
    'plan.yaml',
    `name: p\nservices:\n  a: { ${proc}, health: { check: { kind: tcp, host: h, port: 1 }, interval: 0s } }\n`,
    ': services.a.health.interval: must be longer than 0, got "0s"',
  ],
  [
    'plan.yaml',
    `name: p\nservices:\n  a: { ${proc}, startTimeout: 0s }\n`,
    ': services.a.startTimeout: must be longer than 0, got "0s"',
  ],
  [
    'plan.yaml',
    `name: p\nservices:\n  a: { ${proc}, health: { check: { kind: http, url: "http://127.0.0.1:18999/", bodyMatch: "[" } } }\n`,
    ': services.a.health.check.bodyMatch: invalid regular expression "[": unterminated character class',
  ],
  [
    'plan.yaml',
    `name: p\nservices:\n  a: { ${proc} }\n---\nname: q\n`,
    ':4:1: a second YAML document starts here: the file must hold exactly one (remove the "---" line)',
  ],
  [
    'plan.yaml',
    `name: p\nservices:\n  a: { ${proc}, critical: !maybe true }\n`,
    ':3:55: YAML tag !maybe is not supported: write the plain value',
  ],
  [
    'plan.yaml',
    `name: p\nservices:\n  a: { ${proc}, wave: 100000 }\n`,
    ': services.a.wave: must be at most 999, got 100000',
  ],
  [
    'plan.yaml',
    `name: p\nservices:\n  a: { ${proc}, startTimeout: .inf }\n`,
    ': services.a.startTimeout: must be a finite number, got Infinity',
  ],
  ['plan.yaml', `name: p\nservices:\n  a: ${'['.repeat(100000)}\n`, ':3:70: nested too deeply (more than 64 levels)'],
  [
    'plan.yaml',
    Buffer.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xff, 0x0a]),
    ': Failed to read plan: not UTF-8 text (byte 6 is 0xff)',
  ],
  [
    'plan.yaml',
    'name: p\nwaves: [{ name: one }]\nservices:\n  web: { image: nginx, wave: one }\n',
    ': services.web.image: unknown field: a plan names the image under the target, docker: { image: ... } (a Compose file is read as Compose when named compose*.yaml or docker-compose*.yaml)',
  ],
];

describe('bootwave validate on bad input', () => {
  test.each(badInputs)('%s %#: exit 1, bootwave words, no stack trace', async (name, content, first) => {
    const file = join(dir, name);
    writeFileSync(file, content);
    const result = await run('validate', file);
    expect(result.code).toBe(1);
    expect(result.out).toBe('');
    expect(result.err.split('\n')[0]).toBe(`${file}${first}`);
    expect(result.err).not.toMatch(/\n\s+at |Error:|YAML\.|--trace-warnings/);
  });

  test('a directory is a user error in bootwave words', async () => {
    const folder = join(dir, 'plans.yaml');
    mkdirSync(folder);
    expect(await run('validate', folder)).toEqual({
      code: 1,
      out: '',
      err: `${folder}: Failed to read plan: it is a directory, not a file\nbootwave: 1 problem in ${folder}`,
    });
  });

  test('a one-line plan with a huge wave number returns at once', async () => {
    const file = join(dir, 'plan.yaml');
    writeFileSync(file, `name: p\nservices:\n  a: { ${proc}, wave: 999 }\n`);
    const result = await run('validate', file);
    expect(result).toEqual({ code: 0, out: `${file}: plan p is valid: 1 service in 1000 waves`, err: '' });
  });
});

describe('bootwave validate --profile', () => {
  const compose = 'services:\n  web: { image: nginx, profiles: [web] }\n  db: { image: postgres }\n';

  test('--profile web compose.yaml takes the file as the file, not as a profile', async () => {
    const file = join(dir, 'compose.yaml');
    writeFileSync(file, compose);
    const result = await run('validate', '--profile', 'web', file);
    expect(result).toMatchObject({
      code: 0,
      out: `${file}: plan ${dir
        .split('/')
        .pop()!
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, '-')} is valid: 2 services in 1 wave`,
    });
  });

  test('profiles may be repeated or comma-separated', async () => {
    const file = join(dir, 'plan.yaml');
    writeFileSync(file, `name: p\nservices:\n  a: { ${proc}, profiles: [x] }\n  b: { ${proc}, profiles: [y] }\n`);
    for (const args of [
      ['--profile', 'x,y', file],
      ['--profile', 'x', '--profile', 'y', file],
      [file, '--profile', 'x', 'y'],
    ])
      expect(await run('validate', ...args)).toEqual({
        code: 0,
        out: `${file}: plan p is valid: 2 services in 1 wave`,
        err: '',
      });
  });

  test('no file at all is a usage error', async () => {
    expect(await inEmptyFolder(() => run('validate', '--profile', 'web'))).toMatchObject({ code: 2 });
  });
});

describe('bootwave validate with several Compose files', () => {
  test('-f base -f override merges them as docker compose does', async () => {
    const base = join(dir, 'compose.yaml');
    const override = join(dir, 'compose.override.yaml');
    writeFileSync(base, 'services:\n  api: { image: x:1 }\n');
    writeFileSync(override, 'services:\n  db: { image: d:1 }\n  api: { depends_on: [db] }\n');
    const result = await run('validate', '-f', base, '-f', override);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/ is valid: 2 services in 2 waves$/);
  });

  test('errors name the file that wrote the key', async () => {
    const base = join(dir, 'compose.yaml');
    const override = join(dir, 'compose.override.yaml');
    writeFileSync(base, 'services:\n  api: { image: x:1 }\n');
    writeFileSync(override, 'services:\n  api: { healthcheck: { test: 42 } }\n');
    expect((await run('validate', '-f', base, '-f', override)).err.split('\n')).toEqual([
      `${override}: services.api.healthcheck.test: must be a command string or a list starting with CMD, CMD-SHELL or NONE, got 42`,
      `bootwave: 1 problem in ${base}, ${override}`,
    ]);
  });
});
