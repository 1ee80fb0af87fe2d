import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const folder = join(__dirname, '..', '..', 'deploy', 'prometheus');

/** promtool comes with Debian's `prometheus` package (scripts/lib/real-services.sh installs it). */
function promtool(...args: string[]) {
  const run = spawnSync('promtool', args, { cwd: folder, encoding: 'utf8' });
  if (run.error) throw new Error(`promtool is needed (apt-get install prometheus): ${run.error.message}`);
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('Prometheus alert rules', () => {
  it('are valid rules', () => {
    const result = promtool('check', 'rules', 'bootwave-alerts.yml');
    expect(result.output).toContain('SUCCESS: 7 rules found');
    expect(result.status).toBe(0);
  });

  it('fire as their unit tests expect (startup over budget, wave deadline, down, crash loop, restarts, breaker)', () => {
    const result = promtool('test', 'rules', 'bootwave-alerts.test.yml');
    expect(result.output).toContain('SUCCESS');
    expect(result.status).toBe(0);
  });
});
