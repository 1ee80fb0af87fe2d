import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
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
import { captureIo } from './capture-io';

// `bootwave up --build` as a user runs it on a Compose file whose service builds its image.
const plan = uniquePlanName('cbuild');
beforeAll(() => {
  ensureDockerForTests();
  process.env.TEMPORAL_ADDRESS = requireTestEnv('address');
  process.env.BOOTWAVE_WORKFLOW_BUNDLE = requireTestEnv('bundle');
  process.env.BOOTWAVE_TASK_QUEUE = uniqueTaskQueue('cli-build');
}, 600_000);

afterAll(() => {
  cleanupPlan(plan);
  try {
    docker(['rmi', '-f', `${plan}-web`]);
  } catch {
    // Never built: nothing to remove.
  }
});

afterEach(() => {
  process.exitCode = undefined;
});

test('up --build builds first; a rebuilt image replaces the running container at the next up', async () => {
  const dir = freshDir('cli-build');
  mkdirSync(join(dir, 'app'));
  const dockerfile = (word: string) =>
    writeFileSync(
      join(dir, 'app', 'Dockerfile'),
      `FROM bootwave-test/busybox:1\nRUN echo ${word} > /word\nCMD ["sleep", "300"]\n`,
    );
  const file = join(dir, 'compose.yaml');
  writeFileSync(file, `name: ${plan}\nservices:\n  web:\n    build: ./app\n    stop_grace_period: 1s\n`);
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

  dockerfile('one');
  const first = await up();
  expect(docker(['exec', container, 'cat', '/word'])).toBe('one');

  dockerfile('two');
  const second = await up();
  expect(second).not.toBe(first);
  expect(docker(['exec', container, 'cat', '/word'])).toBe('two');

  // A Dockerfile that fails: nothing is started, and the builder's words say why.
  writeFileSync(join(dir, 'app', 'Dockerfile'), 'FROM bootwave-test/busybox:1\nRUN exit 4\n');
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
