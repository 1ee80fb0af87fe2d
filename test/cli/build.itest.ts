import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { DockerDriver } from '../../src/drivers/docker/docker-driver';
import { withWorker } from '../support/boot-worker';
import {
  cleanupPlan,
  docker,
  ensureDockerForTests,
  inspectField,
  planContainers,
  uniquePlanName,
} from '../support/docker';
import { uniqueTaskQueue } from '../support/temporal';
import { freshDir, requireTestEnv } from '../support/test-env';
import { captureIo, runCli } from './capture-io';

// `bootwave up --build` and `update --build` as a user runs them on a Compose file whose service builds its image.
const plans: string[] = [];
beforeAll(() => {
  ensureDockerForTests();
  process.env.TEMPORAL_ADDRESS = requireTestEnv('address');
  process.env.BOOTWAVE_WORKFLOW_BUNDLE = requireTestEnv('bundle');
}, 600_000);

afterAll(() => {
  for (const plan of plans) {
    cleanupPlan(plan);
    try {
      docker(['rmi', '-f', `${plan}-web`]);
    } catch {
      // Never built: nothing to remove.
    }
  }
});

afterEach(() => {
  process.exitCode = undefined;
});

/**
 * A Compose project of one service, `web`, built from ./app: `dockerfile` writes its Dockerfile, `baking` one that
 * bakes `word` into /word.
 */
function buildingProject(prefix: string) {
  const plan = uniquePlanName(prefix);
  plans.push(plan);
  const dir = freshDir(`cli-${prefix}`);
  mkdirSync(join(dir, 'app'));
  const file = join(dir, 'compose.yaml');
  writeFileSync(file, `name: ${plan}\nservices:\n  web:\n    build: ./app\n    stop_grace_period: 1s\n`);
  const dockerfile = (text: string) => writeFileSync(join(dir, 'app', 'Dockerfile'), text);
  const baking = (word: string) =>
    dockerfile(`FROM bootwave-test/busybox:1\nRUN echo ${word} > /word\nCMD ["sleep", "300"]\n`);
  return { plan, file, dockerfile, baking };
}

test('up --build builds first; a rebuilt image replaces the running container at the next up', async () => {
  process.env.BOOTWAVE_TASK_QUEUE = uniqueTaskQueue('cli-build');
  const { plan, file, dockerfile, baking } = buildingProject('cbuild');
  const container = `bootwave-${plan}-web`;
  const up = async () => {
    const io = captureIo();
    await main(['node', 'bootwave', 'up', file, '--build', '--no-supervise'], io);
    expect({ code: process.exitCode, out: io.stdoutText() }).toEqual({
      code: 0,
      out: expect.stringMatching(/^boot succeeded$/m),
    });
    expect(io.stderrText()).toMatch(new RegExp(`^bootwave: built ${plan}-web in `, 'm'));
    return inspectField(container, '{{.Id}}');
  };

  baking('one');
  const first = await up();
  expect(docker(['exec', container, 'cat', '/word'])).toBe('one');

  baking('two');
  const second = await up();
  expect(second).not.toBe(first);
  expect(docker(['exec', container, 'cat', '/word'])).toBe('two');

  // An up that builds nothing keeps the container made from the same image.
  const plain = await runCli('up', file, '--no-supervise');
  expect(plain).toMatchObject({ code: 0, out: expect.stringMatching(/^boot succeeded$/m) });
  expect(inspectField(container, '{{.Id}}')).toBe(second);

  // A Dockerfile that fails: nothing is started, and the builder's words say why.
  dockerfile('FROM bootwave-test/busybox:1\nRUN exit 4\n');
  const io = captureIo();
  await main(['node', 'bootwave', 'up', file, '--build', '--no-supervise'], io);
  expect(process.exitCode).toBe(1);
  expect(io.stderrText()).toMatch(/failed to build image .*exit code: 4/);
  expect(io.stderrText().split('\n').pop()).toBe('bootwave: an image failed to build: nothing was started');
  expect(io.stdoutText()).toBe('');
  expect(inspectField(container, '{{.Id}}')).toBe(second);

  await main(['node', 'bootwave', 'down', file], captureIo());
  expect(planContainers(plan)).toEqual([]);
});

test('update --build rolls out a rebuilt image; an update that builds nothing, or builds the same image, changes nothing', async () => {
  const taskQueue = uniqueTaskQueue('cli-update-build');
  process.env.BOOTWAVE_TASK_QUEUE = taskQueue;
  const { plan, file, baking } = buildingProject('ubuild');
  /** The line after "update … started": the update's diff. */
  const diffLine = (out: string) => out.split('\n')[1];
  /** The one container of the plan (an update's start-first replacement may carry another name) and its word. */
  const running = () => {
    const names = planContainers(plan).filter(
      (name) => docker(['inspect', '-f', '{{.State.Running}}', name]) === 'true',
    );
    expect(names).toHaveLength(1);
    return { id: docker(['inspect', '-f', '{{.Id}}', names[0]!]), word: docker(['exec', names[0]!, 'cat', '/word']) };
  };

  await withWorker({ taskQueue, drivers: { docker: new DockerDriver() } }, async () => {
    baking('one');
    const up = await runCli('up', file, '--build', '--no-worker');
    expect(up).toMatchObject({ code: 0, out: expect.stringMatching(/^boot succeeded$/m) });
    const first = running();
    expect(first.word).toBe('one');

    // Nothing built: the stack's image is kept, so nothing is replaced.
    const plain = await runCli('update', file, '--no-worker', '--observe', '1s');
    expect(plain).toMatchObject({ code: 0, err: '' });
    expect(diffLine(plain.out)).toBe(`plan ${plan}: 0 changed, 0 added, 0 removed, 1 unchanged`);
    expect(running().id).toBe(first.id);

    baking('two');
    const dry = await runCli('update', file, '--build', '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.out.split('\n')[0]).toBe(`plan ${plan}: 1 changed, 0 added, 0 removed, 0 unchanged`);
    expect(running().id).toBe(first.id);

    const rebuilt = await runCli('update', file, '--build', '--no-worker', '--observe', '1s');
    expect(rebuilt.err).toMatch(new RegExp(`^bootwave: built ${plan}-web in `, 'm'));
    expect(rebuilt.code).toBe(0);
    // Its own diff first, not the previous update's (the stack keeps its last report; both share a workflow ID).
    expect(diffLine(rebuilt.out)).toBe(`plan ${plan}: 1 changed, 0 added, 0 removed, 0 unchanged`);
    expect(rebuilt.out).toMatch(/^web +changed +\S+ +updated/m);
    const second = running();
    expect(second).toEqual({ id: expect.not.stringMatching(first.id), word: 'two' });

    // Built again from the same files: the same image, so nothing to roll out.
    const same = await runCli('update', file, '--build', '--no-worker', '--observe', '1s');
    expect(same.code).toBe(0);
    expect(diffLine(same.out)).toBe(`plan ${plan}: 0 changed, 0 added, 0 removed, 1 unchanged`);
    expect(same.out).not.toMatch(/^web /m);
    expect(running().id).toBe(second.id);

    expect((await runCli('down', file, '--no-worker')).code).toBe(0);
  });
  expect(planContainers(plan)).toEqual([]);
});
