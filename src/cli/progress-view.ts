import type { LiveBootStatus, LiveServiceStatus } from '../client/boot-client';
import { waitingForWorker } from '../placement/waiting-for-worker';
import { phaseSymbol } from './phase-style';
import { counted } from '../counted';

/** The probing detail of a service: "stage 2/5 models_loaded · 7 attempts · HTTP 503". */
export function describeProbe(service: LiveServiceStatus): string {
  const probe = service.probe;
  if (!probe) return service.lastOutput ?? '';
  const stage =
    probe.stages > 1
      ? `stage ${probe.stage + 1}/${probe.stages}${probe.stageName ? ` ${probe.stageName}` : ''} · `
      : '';
  const attempts = probe.attempts === 0 ? 'first probe' : `${counted(probe.attempts, 'attempt')} · ${probe.lastOutput}`;
  return `${stage}${attempts}`.slice(0, 100);
}

function serviceLine(service: LiveServiceStatus, nowMs: number): string {
  const elapsed = service.startedAtMs
    ? `${(((service.readyAtMs ?? nowMs) - service.startedAtMs) / 1000).toFixed(1)}s`
    : '';
  const detail =
    service.phase === 'waiting'
      ? `waiting for ${service.waitingFor?.join(', ')}`
      : service.phase === 'starting' && service.waitingForHost !== undefined
        ? waitingForWorker([service.waitingForHost])
        : service.phase === 'probing'
          ? describeProbe(service)
          : (service.error ?? '');
  return `    ${phaseSymbol[service.phase]} ${service.name.padEnd(24)} ${service.phase.padEnd(11)} ${elapsed.padStart(6)}  ${detail}`;
}

/** A full frame of the live display: each wave with its services. */
export function renderFrame(status: LiveBootStatus, nowMs: number): string {
  // A boot whose execution was terminated or timed out never reached a phase of its own: say so, stop the clocks.
  const closed = status.execution !== undefined && status.execution !== 'running' && status.execution !== 'completed';
  const now = closed ? (status.finishedAtMs ?? nowMs) : nowMs;
  const ended = status.execution?.replace(/-/g, ' ');
  const phase = !closed ? status.phase : status.stale ? ended : `${ended} (last phase ${status.phase})`;
  const lines = [
    `boot ${status.workflowId} · ${status.strategy} · on failure ${status.onFailure} · ${phase}${status.paused ? ' (paused)' : ''}`,
  ];
  if (closed && status.failure) lines.push(`  ${status.failure}`);
  if (status.stale) lines.push('  services: unknown (no worker answered for this closed boot)');
  for (const wave of status.waves) {
    const services = status.services.filter((s) => s.wave === wave.name);
    // A wave that got its services up and then lost them to the boot's rollback says both.
    const rolledBack = services.some((s) => s.phase === 'rolled-back') ? ', rolled back' : '';
    lines.push(`  wave ${wave.index} ${wave.name} · ${wave.phase}${rolledBack}`);
    for (const service of services) lines.push(serviceLine(service, now));
  }
  return lines.join('\n');
}

/** Plain lines for logs and pipes: one per service phase change since the previous status. */
export function phaseChanges(
  previous: Map<string, string>,
  status: LiveBootStatus,
  bootStartMs: number,
  nowMs: number,
): string[] {
  const lines: string[] = [];
  for (const service of status.services) {
    if (previous.get(service.name) === service.phase) continue;
    previous.set(service.name, service.phase);
    if (service.phase === 'pending') continue;
    const at = `+${((nowMs - bootStartMs) / 1000).toFixed(2)}s`;
    const detail = service.error
      ? `: ${service.error}`
      : service.phase === 'waiting'
        ? ` for ${service.waitingFor?.join(', ')}`
        : '';
    lines.push(`${at} ${service.wave}/${service.name} ${service.phase}${detail}`);
  }
  return lines;
}
