import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { captureIo } from './capture-io';

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
      err: `${file}: services.a.dependsOn: dependency cycle: a → b → a\nbootwave: 1 problem in ${file}; nothing was started`,
    });
  });
});

describe('the plan argument of up, graph and down', () => {
  test('`--profile web plan.yaml`: the file after a variadic --profile is the plan, not a profile', async () => {
    const io = captureIo();
    await main(['node', 'bootwave', 'graph', '--profile', 'web', file, '--format', 'mermaid'], io);
    expect({ code: process.exitCode, err: io.stderrText() }).toEqual({ code: 0, err: '' });
    expect(io.stdoutText()).toMatch(/^flowchart/m);
  });

  test('no plan at all is a usage error that says what is missing', async () => {
    const io = captureIo();
    await main(['node', 'bootwave', 'graph', '--profile', 'web'], io);
    expect({ code: process.exitCode, err: io.stderrText() }).toEqual({
      code: 2,
      err: 'bootwave: graph needs a plan or Compose file',
    });
  });
});
