import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../src/temporal/free-port';
import { waitFor } from './wait-for';

/** A real Prometheus (Debian's package) on a free 127.0.0.1 port, scraping `targets` every second. */
export interface PrometheusServer {
  url: string;
  stop(): void;
}

export async function startPrometheus(dir: string, targets: string[]): Promise<PrometheusServer> {
  const port = await freePort();
  const config = join(dir, 'prometheus.yml');
  writeFileSync(
    config,
    [
      'global: { scrape_interval: 1s, evaluation_interval: 1s }',
      'scrape_configs:',
      '  - job_name: test',
      `    static_configs: [{ targets: [${targets.map((t) => `'${t}'`).join(', ')}] }]`,
    ].join('\n'),
  );
  const child: ChildProcess = spawn(
    'prometheus',
    [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${port}`],
    { stdio: 'ignore' },
  );
  const url = `http://127.0.0.1:${port}`;
  const stop = () => void child.kill('SIGTERM');
  try {
    await waitFor('Prometheus is ready', async () => ((await fetch(`${url}/-/ready`)).ok ? true : undefined));
  } catch (error) {
    stop();
    throw error;
  }
  return { url, stop };
}
