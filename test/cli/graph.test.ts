import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { captureIo, inFolder } from './capture-io';

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bootwave-graph-'));
  file = join(dir, 'plan.yaml');
  writeFileSync(
    file,
    [
      'name: shop',
      'waves: [{ name: data, memoryBudget: 2GiB }, { name: apps, deadline: 1m }]',
      'services:',
      '  db: { wave: data, process: { command: [db] }, expectedStart: 4s, resources: { memory: 1GiB } }',
      '  migrate: { wave: data, process: { command: [migrate] }, oneShot: true, dependsOn: [db], expectedStart: 2s }',
      '  cache: { wave: data, process: { command: [cache] }, expectedStart: 1s }',
      '  api: { process: { command: [api] }, dependsOn: [migrate, { service: cache, kind: wants, condition: started }], expectedStart: 3s }',
      '',
    ].join('\n'),
  );
  process.exitCode = undefined;
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  process.exitCode = undefined;
});

async function graph(...flags: string[]) {
  const io = captureIo();
  await main(['node', 'bootwave', 'graph', file, ...flags], io);
  return { code: process.exitCode, out: io.stdoutText(), err: io.stderrText() };
}

describe('bootwave graph', () => {
  test('text: waves, topological order, critical path and its length', async () => {
    expect(await graph()).toEqual({
      code: 0,
      err: '',
      out: [
        'plan shop: 4 services in 2 waves',
        '',
        'waves:',
        '  0 data (budget 2 GiB): db, migrate, cache',
        '  1 apps (deadline 1m): api',
        '',
        'topological order:',
        '  db → migrate → cache → api',
        '',
        'critical path (9s):',
        '  db → migrate → api',
      ].join('\n'),
    });
  });

  test('mermaid: a flowchart with wave subgraphs and dashed edges for wants', async () => {
    expect((await graph('--format', 'mermaid')).out).toBe(
      [
        'flowchart LR',
        '  subgraph w0["wave 0: data (budget 2 GiB)"]',
        '    s_db["db"]',
        '    s_migrate["migrate"]',
        '    s_cache["cache"]',
        '  end',
        '  subgraph w1["wave 1: apps (deadline 1m)"]',
        '    s_api["api"]',
        '  end',
        '  s_db --> s_migrate',
        '  s_migrate -->|completed| s_api',
        '  s_cache -.->|started| s_api',
      ].join('\n'),
    );
  });

  test('dot: clusters per wave', async () => {
    expect((await graph('--format', 'dot')).out).toBe(
      [
        'digraph "shop" {',
        '  rankdir=LR;',
        '  node [shape=box];',
        '  subgraph cluster_0 {',
        '    label="wave 0: data (budget 2 GiB)";',
        '    "db";',
        '    "migrate";',
        '    "cache";',
        '  }',
        '  subgraph cluster_1 {',
        '    label="wave 1: apps (deadline 1m)";',
        '    "api";',
        '  }',
        '  "db" -> "migrate";',
        '  "migrate" -> "api" [label="completed"];',
        '  "cache" -> "api" [style=dashed, label="started"];',
        '}',
      ].join('\n'),
    );
  });

  test('an unknown format is a usage error', async () => {
    const result = await graph('--format', 'svg');
    expect(result.code).toBe(2);
    expect(result.err).toContain("argument 'svg' is invalid. Allowed choices are text, mermaid, dot.");
  });

  test('an invalid plan prints its problems and draws nothing', async () => {
    writeFileSync(
      file,
      'name: shop\nservices:\n  a: { process: { command: [a] }, dependsOn: [b] }\n  b: { process: { command: [b] }, dependsOn: [a] }\n',
    );
    expect(await graph()).toEqual({
      code: 1,
      out: '',
      err: `${file}: services.a.dependsOn: dependency cycle: a → b → a\nbootwave: 1 problem in ${file}`,
    });
  });
});

describe('the plan argument of up, graph and down', () => {
  test('`--profile web plan.yaml`: the file after a variadic --profile is the plan, not a profile', async () => {
    writeFileSync(file, 'name: shop\nservices:\n  ui: { profiles: [web], process: { command: [ui] } }\n');
    const io = captureIo();
    await main(['node', 'bootwave', 'graph', '--profile', 'web', file, '--format', 'mermaid'], io);
    expect({ code: process.exitCode, err: io.stderrText() }).toEqual({ code: 0, err: '' });
    expect(io.stdoutText()).toMatch(/^flowchart/m);
  });

  test('no plan at all, and no compose.yaml here or above, is a usage error that says what is missing', async () => {
    const io = captureIo();
    await inFolder(dir, () => main(['node', 'bootwave', 'graph', '--profile', 'web'], io));
    expect({ code: process.exitCode, err: io.stderrText() }).toEqual({
      code: 2,
      err: 'bootwave: graph needs a plan or Compose file (e.g. bootwave graph plan.yaml, or -f compose.yaml); no compose.yaml was found here or above',
    });
  });
});

describe('Compose files merged with -f or COMPOSE_FILE, for every command that loads a plan', () => {
  const writeCompose = () => {
    writeFileSync(join(dir, 'compose.yaml'), 'services:\n  db: { image: db:1 }\n  api: { image: api:1 }\n');
    writeFileSync(join(dir, 'compose.override.yaml'), 'services:\n  api: { depends_on: [db] }\n');
    return [join(dir, 'compose.yaml'), join(dir, 'compose.override.yaml')];
  };

  test('graph -f a.yml -f b.yml merges the override: its dependency orders the waves', async () => {
    const [base, override] = writeCompose();
    const io = captureIo();
    await main(['node', 'bootwave', 'graph', '-f', base!, '-f', override!], io);
    expect({ code: process.exitCode, err: io.stderrText() }).toEqual({ code: 0, err: '' });
    expect(io.stdoutText()).toMatch(/wave-0.*db[\s\S]*wave-1.*api/);
  });

  test('COMPOSE_FILE names the files when no file is given', async () => {
    const files = writeCompose();
    const io = captureIo();
    const saved = process.env.COMPOSE_FILE;
    process.env.COMPOSE_FILE = files.join(':');
    try {
      await main(['node', 'bootwave', 'graph'], io);
    } finally {
      if (saved === undefined) delete process.env.COMPOSE_FILE;
      else process.env.COMPOSE_FILE = saved;
    }
    expect({ code: process.exitCode, err: io.stderrText() }).toEqual({ code: 0, err: '' });
    expect(io.stdoutText()).toMatch(/wave-1.*api/);
  });

  test('no file at all: compose.yaml and its override of this folder, or of the nearest one above, as Compose', async () => {
    writeCompose();
    const below = join(dir, 'services', 'api');
    mkdirSync(below, { recursive: true });
    for (const cwd of [dir, below]) {
      const io = captureIo();
      await inFolder(cwd, () => main(['node', 'bootwave', 'graph'], io));
      expect({ code: process.exitCode, err: io.stderrText() }).toEqual({ code: 0, err: '' });
      expect(io.stdoutText()).toMatch(/wave-0.*db[\s\S]*wave-1.*api/);
    }
  });

  test.each(['graph', 'up', 'down', 'update'])('%s with both a file and -f is a usage error', async (command) => {
    const [base] = writeCompose();
    const io = captureIo();
    await main(['node', 'bootwave', command, file, '-f', base!], io);
    expect({ code: process.exitCode, err: io.stderrText() }).toEqual({
      code: 2,
      err: 'bootwave: give either a plan file or -f Compose files, not both',
    });
  });

  test('a plan given with -f is read as Compose, and the error says to give it without -f', async () => {
    const io = captureIo();
    await main(['node', 'bootwave', 'graph', '-f', file], io);
    expect(process.exitCode).toBe(1);
    expect(io.stderrText().split('\n').pop()).toBe(
      `hint: ${file} reads as a bootwave plan, not a Compose file: give it without -f`,
    );
  });

  test('an invalid merged file is reported under both names, and nothing is loaded', async () => {
    const [base, override] = writeCompose();
    writeFileSync(override!, 'services:\n  api: { depends_on: [nope] }\n');
    const io = captureIo();
    await main(['node', 'bootwave', 'down', '-f', base!, '-f', override!], io);
    expect(process.exitCode).toBe(1);
    expect(io.stderrText()).toContain(`in ${base}, ${override}`);
  });
});
