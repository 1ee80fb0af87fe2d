import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main';
import { ProcessDriver } from '../../src/drivers/process/process-driver';
import { isListening } from '../support/net';
import { fixturePlan } from '../support/plan-fixture';
import { uniqueTaskQueue } from '../support/temporal';
import { freshDir, requireTestEnv } from '../support/test-env';
import { captureIo } from './capture-io';

// `bootwave up` and `down` as a user runs them, in-process: the test's Temporal server, an in-process worker.
beforeAll(() => {
  process.env.TEMPORAL_ADDRESS = requireTestEnv('address');
  process.env.BOOTWAVE_WORKFLOW_BUNDLE = requireTestEnv('bundle');
  process.env.BOOTWAVE_TASK_QUEUE = uniqueTaskQueue('cli');
});

afterEach(() => {
  process.exitCode = undefined;
});

describe('bootwave up / down', () => {
  it('boots a plan, prints the summary table and the critical-path comparison, and down stops it', async () => {
    const { plan, ports, dir } = fixturePlan('cli-up', ['data', 'apps'], {
      db: { wave: 'data', args: ['--start-delay', '200'] },
      api: { wave: 'apps', dependsOn: ['db'] },
    });
    const file = join(dir, 'plan.yaml');
    const io = captureIo();
    await main(['node', 'bootwave', 'up', file, '--strategy', 'waves'], io);
    expect(process.exitCode).toBe(0);
    const out = io.stdoutText();
    expect(out).toMatch(/^boot bootwave-cli-up started on /m);
    expect(out).toMatch(/^SERVICE\s+WAVE\s+READY IN\s+STATUS$/m);
    expect(out).toMatch(/^✔ db\s+data\s+\d+\.\d\ds\s+healthy$/m);
    expect(out).toMatch(/^boot time \d+\.\d\ds · critical-path floor \d+\.\d\ds \(db → api\)$/m);
    expect(out).toMatch(/^boot succeeded$/m);
    expect(await isListening(ports.api!)).toBe(true);

    const downIo = captureIo();
    await main(['node', 'bootwave', 'down', file], downIo);
    expect(process.exitCode).toBe(0);
    expect(downIo.stdoutText()).toBe('■ api stopped\n■ db stopped');
    expect(await isListening(ports.api!)).toBe(false);
    expect(await isListening(ports.db!)).toBe(false);
    for (const s of plan.services) await new ProcessDriver().stop({ plan: plan.name, bootId: '' }, s);
  });

  it('starts nothing from an invalid plan and names the file, the path and the problem', async () => {
    const file = join(freshDir('cli-bad'), 'plan.yaml');
    writeFileSync(
      file,
      'name: bad\nservices:\n  api:\n    process: { command: [node, x.js] }\n    dependsOn: [dbb]\n  db:\n    process: { command: [node, y.js] }\n',
    );
    const io = captureIo();
    await main(['node', 'bootwave', 'up', file], io);
    expect(process.exitCode).toBe(1);
    expect(io.stderrText()).toContain(`${file}: services.api.dependsOn[0]: unknown service "dbb"`);
    expect(io.stderrText()).toContain('nothing was started');
    expect(io.stdoutText()).toBe('');
  });

  it('rejects a bad flag before starting anything', async () => {
    const { dir } = fixturePlan('cli-flag', ['only'], { a: {} });
    const io = captureIo();
    await main(['node', 'bootwave', 'up', join(dir, 'plan.yaml'), '--on-failure', 'explode'], io);
    expect(process.exitCode).toBe(1);
    expect(io.stderrText()).toBe('bootwave: --on-failure must be one of rollback, halt, continue, not "explode"');
  });
});
