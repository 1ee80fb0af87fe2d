/**
 * Update time and failed requests per changed service, bootwave beside its peers on the same change (issue 12,
 * "Numbers"). Usage (via bench/update/run.sh): node update-bench.js [--runs 3] [--only docker,process,kubernetes]
 *   [--json out.json]
 * Docker: `bootwave update` of the edited Compose file vs `docker-compose up -d` (1.29) and `docker compose up -d
 * --wait` (v2) of the same edit. Process: bootwave start-first vs stop-first. Kubernetes (KOSMOS on kwok): `bootwave
 * update` vs `kubectl apply` + `kubectl rollout status`, time only.
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { startBootwaveDev } from './dev-server';
import { bootwaveDockerUpdate, composeUpdate, dockerChanged, dockerServices } from './docker-update';
import { kosmosStand, type KosmosStand } from './kube-update';
import type { UpdateRun } from './measure';
import { bootwaveProcessUpdate } from './process-update';
import { printTables } from './tables';
import { isStopping, requestStop, seconds } from './tools';

function argValue(flag: string, fallback: string): string {
  const i = process.argv.indexOf(flag);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** Flags of the like-for-like bootwave row: every changed service at once, no health window (as Compose). */
const likeCompose = ['--batch-size', '100%', '--observe', '0s'];

function line(r: UpdateRun): string {
  const polled = r.polls
    .map(
      (p) =>
        `${p.service} ${p.failed}/${p.requests} failed` +
        (p.failed
          ? ` (first at +${seconds(p.firstFailedAtMs)} s), longest outage ${seconds(p.longestOutageMs)} s`
          : ''),
    )
    .join('; ');
  const report = r.report
    ? ' · bootwave: ' +
      Object.entries(r.report)
        .map(([s, x]) => `${s} ${x.order} down ${x.downtime}`)
        .join(', ')
    : '';
  const s = r.spans;
  const rollout = s
    ? ` (to the update workflow ${seconds(s.toWorkflowMs)} s, to the stack ${seconds(s.toStackMs)} s, rollout ${seconds(s.rolloutMs)} s, to exit ${seconds(s.toExitMs)} s)`
    : '';
  return `${r.scenario} ${r.tool} run ${r.run}: ${seconds(r.wallMs)} s${rollout}${polled ? ` · ${polled}` : ''}${report} (load ${r.load1.toFixed(2)})`;
}

async function main(): Promise<void> {
  const runs = Number(argValue('--runs', '3'));
  const only = argValue('--only', 'docker,process,kubernetes').split(',');
  const jsonOut = argValue('--json', '');
  console.log(`load average at start (1, 5, 15 min): ${load()}`);
  // Stopped from outside (run.sh's trap, Ctrl-C): the row under way finishes and is torn down, nothing new starts,
  // and the run ends through the `finally` below, which stops `bootwave dev` — else its worker would go on
  // supervising (and restarting) the stacks that run.sh is about to remove.
  for (const signal of ['SIGTERM', 'SIGINT'] as const)
    process.once(signal, () => {
      console.error(`bench: ${signal}: finishing the row under way, then stopping`);
      process.exitCode = 130;
      requestStop();
    });
  const dev = await startBootwaveDev();
  const results: UpdateRun[] = [];
  /** Runs one row and prints it; refuses once the harness is being stopped. */
  const record = async (row: () => Promise<UpdateRun>, run: number) => {
    if (isStopping()) throw new Error('the benchmark is being stopped');
    const r = { ...(await row()), run };
    results.push(r);
    console.log(line(r));
  };
  let stand: KosmosStand | undefined;
  try {
    if (isStopping()) throw new Error('the benchmark is being stopped');
    if (only.includes('kubernetes')) {
      stand = await kosmosStand(dev);
      console.log(
        `kubernetes: zeus.yaml edited in place, \`bootwave update --dry-run\` says: ${await stand.inPlaceDiff()}`,
      );
    }
    let n = 0;
    for (let i = 1; i <= runs; i++) {
      // Interleaved, so drift in the machine's load hits every tool alike.
      if (only.includes('docker')) {
        await record(() => composeUpdate('compose-1.29', ++n), i);
        await record(() => composeUpdate('compose-v2', ++n), i);
        await record(() => bootwaveDockerUpdate(likeCompose, ++n, dev), i);
        await record(() => bootwaveDockerUpdate([], ++n, dev), i);
      }
      if (only.includes('process')) {
        await record(() => bootwaveProcessUpdate('start-first', likeCompose, ++n, dev), i);
        await record(() => bootwaveProcessUpdate('stop-first', likeCompose, ++n, dev), i);
      }
      const kube = stand;
      if (kube) {
        await record(() => kube.bootwaveUpdate(['--observe', '0s'], i), i);
        await record(() => kube.bootwaveUpdate([], i), i);
        await record(() => kube.kubectlUpdate('file', i), i);
        await record(() => kube.kubectlUpdate('folder', i), i);
      }
    }
  } finally {
    await stand?.remove();
    await dev.stop();
    if (jsonOut) writeFileSync(jsonOut, JSON.stringify(results, null, 2));
  }
  console.log(`load average at end (1, 5, 15 min): ${load()}`);
  // The process scenario has the same services and the same change (b, c) as the Docker one.
  printTables(results, { services: [...dockerServices], changed: [...dockerChanged] });
}

main().catch((error: unknown) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
