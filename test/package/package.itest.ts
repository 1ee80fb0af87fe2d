import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { isListening } from '../support/net';
import { testPort } from '../support/plan-fixture';
import { uniqueTaskQueue } from '../support/temporal';
import { freshDir, requireTestEnv } from '../support/test-env';

// The package as a user gets it: `npm pack` of the build, installed into an empty project (from the npm cache
// where it can), then the command, a boot and its teardown against the test run's server, and the client entry
// point from ESM, CommonJS and a type-checked TypeScript file.
const repoRoot = join(__dirname, '..', '..');
const heavyPackages = [
  '@temporalio/worker',
  '@temporalio/core-bridge',
  '@swc/core',
  'dockerode',
  '@kubernetes/client-node',
];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

async function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Run> {
  try {
    const { stdout, stderr } = await promisify(execFile)(command, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number | string; stdout?: string; stderr?: string };
    return {
      code: typeof failed.code === 'number' ? failed.code : null,
      stdout: failed.stdout ?? '',
      stderr: failed.stderr ?? String(error),
    };
  }
}

/** Like `run`, but a failure fails the test with everything the command printed. */
async function mustRun(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  const result = await run(command, args, cwd, env);
  if (result.code !== 0)
    throw new Error(`${command} ${args.join(' ')} exited ${result.code}:\n${result.stdout}${result.stderr}`);
  return result.stdout;
}

function newestFile(dir: string): { file: string; mtimeMs: number } {
  let newest = { file: dir, mtimeMs: 0 };
  for (const name of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, name.name);
    const candidate = name.isDirectory() ? newestFile(path) : { file: path, mtimeMs: statSync(path).mtimeMs };
    if (candidate.mtimeMs > newest.mtimeMs) newest = candidate;
  }
  return newest;
}

/** The tarball is made from dist/: a build older than the sources would test yesterday's package. */
function requireCurrentBuild(): void {
  const bundle = join(repoRoot, 'dist', 'workflow-bundle.js');
  let builtMs: number;
  try {
    builtMs = statSync(bundle).mtimeMs;
  } catch {
    throw new Error(`${bundle} missing: run \`npm run build\` before the integration tests`);
  }
  const source = newestFile(join(repoRoot, 'src'));
  if (source.mtimeMs > builtMs)
    throw new Error(`${source.file} is newer than the build: run \`npm run build\` before the integration tests`);
}

const repoVersion = (name: string) =>
  (JSON.parse(readFileSync(join(repoRoot, 'node_modules', name, 'package.json'), 'utf8')) as { version: string })
    .version;

let project: string;
let env: NodeJS.ProcessEnv;
let planName: string;
let port: number;
const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

beforeAll(async () => {
  requireCurrentBuild();
  const dir = freshDir('package');
  // A user's environment: no test-only bundle, no jest flags, the run's server and a task queue of its own.
  env = {
    ...process.env,
    BOOTWAVE_WORKFLOW_BUNDLE: undefined,
    NODE_OPTIONS: undefined,
    TEMPORAL_ADDRESS: requireTestEnv('address'),
    BOOTWAVE_TASK_QUEUE: uniqueTaskQueue('package'),
    BOOTWAVE_STATE_DIR: join(dir, 'state'),
    npm_config_update_notifier: 'false',
  };
  const tarball = (await mustRun('npm', ['pack', '--silent', '--pack-destination', dir], repoRoot, env)).trim();
  project = join(dir, 'consumer');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), '{ "name": "consumer", "version": "1.0.0", "private": true }\n');
  await mustRun(
    'npm',
    [
      'install',
      '--prefer-offline',
      '--no-audit',
      '--no-fund',
      join(dir, tarball),
      `typescript@${repoVersion('typescript')}`,
      `@types/node@${repoVersion('@types/node')}`,
    ],
    project,
    env,
  );

  planName = `pkg-${uniqueTaskQueue('').slice(1)}`;
  port = testPort();
  const service = join(project, 'node_modules', 'bootwave', 'examples', 'services', 'health-service.js');
  writeFileSync(
    join(project, 'plan.yaml'),
    [
      `name: ${planName}`,
      'services:',
      '  web:',
      `    process: { command: [node, ${service}, --name, web, --port, "${port}"] }`,
      `    health: { check: { kind: http, url: "http://127.0.0.1:${port}/health" }, interval: 100ms }`,
      '',
    ].join('\n'),
  );
}, 900_000);

describe('the packed package, installed into an empty project', () => {
  it('puts the bootwave command on the path: npx bootwave --version', async () => {
    expect(await run('npx', ['bootwave', '--version'], project, env)).toEqual({
      code: 0,
      stdout: `${version}\n`,
      stderr: '',
    });
  });

  it('validates a plan', async () => {
    expect(await run('npx', ['bootwave', 'validate', 'plan.yaml'], project, env)).toEqual({
      code: 0,
      stdout: `plan.yaml: plan ${planName} is valid: 1 service in 1 wave\n`,
      stderr: '',
    });
  });

  it.each([
    [['--help'], ['bootwave', 'commander']],
    [['--version'], ['bootwave', 'commander']],
    [
      ['validate', 'plan.yaml'],
      ['bootwave', 'commander', 'yaml', 'zod'],
    ],
  ])('bootwave %j loads only the packages it needs: %j', async (args, packages) => {
    // Start-up time is measured by bench/startup/startup-bench.ts; here, what is loaded (no timing assertion).
    writeFileSync(
      join(project, 'trace-packages.cjs'),
      `process.on('exit', () => {
  const names = new Set(Object.keys(require.cache).flatMap((file) => {
    const found = file.match(/node_modules\\/((@[^/]+\\/)?[^/]+)/g);
    return found ? [found[found.length - 1].slice('node_modules/'.length)] : [];
  }));
  require('node:fs').writeFileSync('packages.json', JSON.stringify([...names].sort()));
});
`,
    );
    const bin = join('node_modules', 'bootwave', 'dist', 'cli', 'bin.js');
    await mustRun('node', ['--require', './trace-packages.cjs', bin, ...args], project, env);
    expect(JSON.parse(readFileSync(join(project, 'packages.json'), 'utf8'))).toEqual(packages);
  });

  it('boots a process plan with its in-process worker and the packaged workflow bundle', async () => {
    const up = await run('npx', ['bootwave', 'up', 'plan.yaml'], project, env);
    expect(up).toMatchObject({ code: 0, stderr: '' });
    expect(up.stdout).toMatch(new RegExp(`^boot bootwave-${planName} started on ${env.TEMPORAL_ADDRESS}$`, 'm'));
    expect(up.stdout).toMatch(/^boot succeeded$/m);
    expect(await isListening(port)).toBe(true);
  });

  it('serves ESM consumers: bootwave/client and bootwave, without loading the worker or the engine clients', async () => {
    writeFileSync(
      join(project, 'consumer.mjs'),
      `import { createRequire } from 'node:module';
import { BootClient, bootWorkflowId, loadPlanOrCompose } from 'bootwave/client';
import * as root from 'bootwave';
const loaded = loadPlanOrCompose('plan.yaml');
if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
const client = await BootClient.connect({ address: process.env.TEMPORAL_ADDRESS });
const status = await client.boot(bootWorkflowId(loaded.plan.name)).status();
const boots = await client.list({ plan: loaded.plan.name });
await client.close();
const files = Object.keys(createRequire(import.meta.url).cache);
console.log(JSON.stringify({
  sameAsRoot: root.BootClient === BootClient,
  phase: status.phase,
  services: status.services.map((s) => s.name + ' ' + s.phase),
  boots: boots.map((b) => b.status),
  heavy: ${JSON.stringify(heavyPackages)}.filter((name) => files.some((file) => file.includes('/node_modules/' + name + '/'))),
}));
`,
    );
    const out = await mustRun('node', ['consumer.mjs'], project, env);
    expect(JSON.parse(out)).toEqual({
      sameAsRoot: true,
      phase: 'succeeded',
      services: ['web healthy'],
      boots: ['COMPLETED'],
      heavy: [],
    });
  });

  it('serves CommonJS consumers: require of bootwave/client, bootwave and bootwave/package.json', async () => {
    writeFileSync(
      join(project, 'consumer.cjs'),
      `const { BootClient, loadPlan, formatIssue } = require('bootwave/client');
const root = require('bootwave');
const bad = loadPlan('missing.yaml');
console.log(JSON.stringify({
  sameAsRoot: root.loadPlan === loadPlan,
  client: typeof BootClient.connect,
  version: require('bootwave/package.json').version,
  bad: bad.ok ? 'loaded' : bad.errors.map(formatIssue),
  heavy: ${JSON.stringify(heavyPackages)}.filter((name) => Object.keys(require.cache).some((file) => file.includes('/node_modules/' + name + '/'))),
}));
`,
    );
    expect(JSON.parse(await mustRun('node', ['consumer.cjs'], project, env))).toEqual({
      sameAsRoot: true,
      client: 'function',
      version,
      bad: ['missing.yaml: Failed to read plan: no such file'],
      heavy: [],
    });
  });

  it('brings the stack down: npx bootwave down', async () => {
    expect(await run('npx', ['bootwave', 'down', 'plan.yaml'], project, env)).toEqual({
      code: 0,
      stdout: '■ web stopped\n',
      stderr: '',
    });
    expect(await isListening(port)).toBe(false);
  });

  it.each([
    ['nodenext', 'nodenext'],
    ['bundler', 'esnext'],
    ['node10', 'commonjs'],
  ])('type-checks a TypeScript consumer with moduleResolution %s', async (moduleResolution, module) => {
    writeFileSync(
      join(project, 'consumer.ts'),
      `import { BootClient, bootWorkflowId, loadPlanOrCompose, type LiveBootStatus, type TeardownResult } from 'bootwave/client';
import type { ResolvedPlan } from 'bootwave';

export async function bootAndDown(plan: ResolvedPlan): Promise<[LiveBootStatus['phase'], TeardownResult['stopped']]> {
  const client = await BootClient.connect({ address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233' });
  const boot = await client.start(plan, { strategy: 'dag', onFailure: 'rollback' });
  const status: LiveBootStatus = await boot.status();
  const down: TeardownResult = await client.down(plan);
  return [status.phase, down.stopped];
}

export function planOf(file: string): ResolvedPlan | undefined {
  const result = loadPlanOrCompose(file);
  return result.ok ? result.plan : undefined;
}

// @ts-expect-error: the types are real, not any: a workflow ID is a string.
export const wrong: number = bootWorkflowId('demo');
`,
    );
    const tsc = join(project, 'node_modules', 'typescript', 'bin', 'tsc');
    // skipLibCheck as most projects set it: the Temporal SDK's own declarations do not check without @types/ms.
    const args = ['--noEmit', '--strict', '--skipLibCheck', '--types', 'node', '--target', 'es2022'];
    const result = await run(
      'node',
      [tsc, ...args, '--module', module, '--moduleResolution', moduleResolution, 'consumer.ts'],
      project,
      env,
    );
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
  });
});
