import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { testClient } from '../support/temporal';
import { freshDir, requireTestEnv } from '../support/test-env';
import { waitFor } from '../support/wait-for';

// The README's commands, run verbatim as a user runs them from a checkout's root: its `export PATH=…` line puts
// the checkout's scripts/bin (`bootwave`, `temporal`) first, and TEMPORAL_ADDRESS is the run's dev server (what a
// user exports from `bootwave dev`'s output). They run in a copy of examples/ beside a link to scripts/, so nothing
// lands in the repository.
const repoRoot = join(__dirname, '..', '..');

interface Block {
  section: string;
  lang: string;
  code: string;
}

/** The README's fenced code blocks, each with the heading of the section it is in. */
function readmeBlocks(): Block[] {
  const blocks: Block[] = [];
  let section = '';
  let open: Block | undefined;
  for (const line of readFileSync(join(repoRoot, 'README.md'), 'utf8').split('\n')) {
    if (open) {
      if (line.startsWith('```')) {
        blocks.push(open);
        open = undefined;
      } else open.code += `${line}\n`;
    } else if (line.startsWith('```')) open = { section, lang: line.slice(3).trim(), code: '' };
    else if (/^#{2,3} /.test(line)) section = line.replace(/^#+ /, '');
  }
  return blocks;
}

function blocksOf(section: string, lang: string): string[] {
  const found = readmeBlocks().filter((block) => block.section === section && block.lang === lang);
  if (found.length === 0) throw new Error(`README.md: no \`\`\`${lang} block in section "${section}"`);
  return found.map((block) => block.code);
}

/** The README's line that puts a checkout's `bootwave` and `temporal` on PATH. */
const pathLine = 'export PATH="$PWD/scripts/bin:$PATH"';

let dir: string;
let env: NodeJS.ProcessEnv;
let dev: ChildProcess | undefined;

/** Runs a README block with bash, stopping at the first failing command; resolves with what it printed. */
async function runBlock(code: string, blockEnv = env): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', code], {
      cwd: dir,
      env: blockEnv,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, out: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, out: `${failed.stdout ?? ''}${failed.stderr ?? String(error)}` };
  }
}

beforeAll(async () => {
  dir = freshDir('readme');
  cpSync(join(repoRoot, 'examples'), join(dir, 'examples'), { recursive: true });
  symlinkSync(join(repoRoot, 'scripts'), join(dir, 'scripts'));
  // `import … from 'bootwave/client'` in the client example resolves to this checkout, as an installed package.
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(repoRoot, join(dir, 'node_modules', 'bootwave'));
  env = {
    ...process.env,
    TEMPORAL_ADDRESS: requireTestEnv('address'),
    BOOTWAVE_STATE_DIR: join(dir, 'state'),
    // A user's defaults: the task queue `bootwave` the README names, the build's own workflow bundle.
    BOOTWAVE_TASK_QUEUE: undefined,
    BOOTWAVE_WORKFLOW_BUNDLE: undefined,
    NODE_OPTIONS: undefined,
  };

  // The README's first terminal: `bootwave dev`, left running (here: a worker on the run's server). Its block puts
  // the checkout's commands on PATH itself; later blocks run in a terminal that did the same.
  const [devBlock] = blocksOf('Use', 'bash');
  expect(devBlock).toBe(`${pathLine}\nbootwave dev\n`);
  dev = spawn('bash', ['-c', devBlock!], { cwd: dir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  env = { ...env, PATH: `${join(dir, 'scripts', 'bin')}:${env.PATH ?? ''}` };
  let printed = '';
  dev.stdout!.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  dev.stderr!.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  await waitFor(
    '`bootwave dev` printing its address',
    async () => {
      if (dev?.exitCode !== null) throw new Error(`bootwave dev exited ${dev?.exitCode}:\n${printed}`);
      return printed.includes(`Temporal at ${env.TEMPORAL_ADDRESS}`) ? true : undefined;
    },
    180_000,
  );
}, 240_000);

afterAll(async () => {
  // Leave nothing running whatever failed: the demo's services, then `bootwave dev` (Ctrl-C, as a user stops it).
  await runBlock('bootwave down examples/demo/plan.yaml');
  if (dev?.pid && dev.exitCode === null) {
    const exited = new Promise((resolve) => dev!.once('exit', resolve));
    process.kill(-dev.pid, 'SIGINT');
    await exited;
  }
}, 120_000);

describe('README', () => {
  it('Use: every command runs verbatim (validate, graph, up, status, health, restart, list, down)', async () => {
    const blocks = blocksOf('Use', 'bash');
    expect(blocks).toHaveLength(2);
    const result = await runBlock(blocks[1]!);
    expect(result).toMatchObject({ code: 0 });
    expect(result.out).toContain('examples/demo/plan.yaml: plan demo is valid: 17 services in 6 waves');
    // The demo's model server passes all but its last, non-critical check stage: the boot ends degraded.
    expect(result.out).toMatch(/^boot degraded$/m);
    // `list` shows the boot's own outcome, not only that its execution completed.
    expect(result.out).toMatch(/^bootwave-demo +degraded +started /m);
    // Supervised after the boot: the stack's health, and an operator's restart answered once redis is back.
    expect(result.out).toMatch(/^demo: degraded$/m);
    expect(result.out).toMatch(/^redis: healthy/m);
    expect(result.out).toMatch(/^■ postgres stopped$/m);
  }, 300_000);

  it('From the Temporal CLI: start, query and cancel a boot with `temporal` alone', async () => {
    const [block] = blocksOf('From the Temporal CLI or Web UI', 'bash');
    // Without TEMPORAL_ADDRESS exported, the checkout's `temporal` finds the server from the record a `bootwave dev`
    // that started one leaves (written here as `connectOrStartTemporal` writes it: this run's server is given).
    const stateDir = join(dir, 'state-of-a-dev-server');
    mkdirSync(join(stateDir, 'temporal'), { recursive: true });
    writeFileSync(
      join(stateDir, 'temporal', 'server.json'),
      JSON.stringify({ address: requireTestEnv('address'), uiUrl: 'http://127.0.0.1:1', pid: process.pid }),
    );
    const result = await runBlock(block!, { ...env, TEMPORAL_ADDRESS: undefined, BOOTWAVE_STATE_DIR: stateDir });
    expect(result).toMatchObject({ code: 0 });
    expect(result.out).toMatch(/"workflowId":\s*"bootwave-demo"/);
    // The boot ends (cancelled, rolled back) on the worker of `bootwave dev`.
    const client = await testClient();
    try {
      const handle = client.workflow.getHandle('bootwave-demo');
      const final = (await handle.result()) as { phase: string };
      expect(['cancelled', 'rolled-back']).toContain(final.phase);
    } finally {
      await client.connection.close();
    }
  }, 300_000);

  it('From another service: the client example runs as written', async () => {
    const [code] = blocksOf('From another service', 'ts');
    writeFileSync(join(dir, 'readme-client.mts'), code!);
    const result = await promisify(execFile)('node', ['readme-client.mts'], { cwd: dir, env });
    const lines = result.stdout.trim().split('\n');
    expect(lines).toEqual([expect.stringMatching(/^(running|succeeded|degraded)$/), 'degraded 16']);
  }, 300_000);
});
