import type { ServiceUpdate, UpdateReport } from '../contract/update';
import { formatDuration } from '../plan/duration';

/** The diff and the batches, as `--dry-run` prints them and an update announces them. */
export function planLines(report: UpdateReport): string[] {
  const lines: string[] = [];
  const counts = ['changed', 'added', 'removed', 'unchanged'].map(
    (kind) => `${report.changes.filter((c) => c.kind === kind).length} ${kind}`,
  );
  lines.push(`plan ${report.plan}: ${counts.join(', ')}`);
  for (const change of report.changes) {
    if (change.kind === 'unchanged') continue;
    const method = report.methods?.[change.service];
    const hashes = change.kind === 'changed' ? ` ${change.from} → ${change.to}` : '';
    lines.push(
      `  ${sign[change.kind]} ${change.service} (${change.kind}${hashes})${method ? `: ${method.method}, ${method.reason}` : ''}`,
    );
  }
  if (report.batches.length === 0) lines.push('nothing to roll out');
  for (const batch of report.batches)
    lines.push(
      `batch ${batch.index + 1}/${report.batches.length} · wave ${batch.wave} · ${batch.action === 'remove' ? 'stop' : 'roll out'}: ${batch.services.join(', ')}`,
    );
  if (report.settings) {
    const s = report.settings;
    const size = 'count' in s.batchSize ? String(s.batchSize.count) : `${s.batchSize.percent}%`;
    lines.push(
      `batch size ${size} · health window ${formatDuration(s.observeMs)} · pause ${formatDuration(s.pauseMs)} · roll back above ${s.failureThresholdPercent}% failed · order ${s.order}`,
    );
  }
  return lines;
}

const sign = { changed: '~', added: '+', removed: '-', unchanged: ' ' } as const;

/** One line per service whose phase changed since `before` (live progress). */
export function progressLines(before: UpdateReport | undefined, now: UpdateReport): string[] {
  const lines: string[] = [];
  if (now.currentBatch !== undefined && now.currentBatch !== before?.currentBatch) {
    const batch = now.batches[now.currentBatch];
    if (batch) lines.push(`batch ${batch.index + 1}/${now.batches.length}: ${batch.services.join(', ')}`);
  }
  const previous = new Map((before?.services ?? []).map((s) => [s.service, s.phase]));
  for (const service of now.services)
    if (service.phase !== 'pending' && previous.get(service.service) !== service.phase)
      lines.push(`  ${service.service}: ${describe(service)}`);
  return lines;
}

function describe(service: ServiceUpdate): string {
  const method = service.method ? ` (${service.method})` : '';
  switch (service.phase) {
    case 'updating':
      return `starting the new version${method}`;
    case 'observing':
      return 'ready; watching it through the health window';
    case 'updated':
      return `updated${service.downtimeMs !== undefined ? `, down ${formatDuration(service.downtimeMs)}` : ''}`;
    case 'rolling-back':
      return `rolling back${service.error ? `: ${service.error}` : ''}`;
    case 'rolled-back':
      return 'rolled back: the previous version is healthy again';
    default:
      return `${service.phase}${service.error ? `: ${service.error}` : ''}`;
  }
}

/** The final report: one row per service the update touched, then the outcome. */
export function reportLines(report: UpdateReport): string[] {
  const rows = report.services.map((s) => [
    s.service,
    s.kind,
    s.method ?? '',
    s.phase,
    s.method === 'stop-first' && s.downtimeMs !== undefined ? formatDuration(s.downtimeMs) : s.method ? '0s' : '',
  ]);
  const header = ['SERVICE', 'CHANGE', 'ORDER', 'RESULT', 'DOWNTIME'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const lines = rows.length > 0 ? [line(header), ...rows.map(line), ''] : [];
  lines.push(`update ${report.outcome}${report.reason ? `: ${report.reason}` : ''}`);
  return lines;
}
