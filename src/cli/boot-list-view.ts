import type { BootSummary } from '../client/boot-client';
import { executionStatusText } from './execution-status-text';

/**
 * `bootwave list` as aligned columns: ID, outcome, start, end, plan. The outcome is the boot's own phase while it
 * runs or once it completed (`degraded`, `rolled-back` …); an execution that ended without finishing (terminated,
 * timed out) never reported a final phase, so the server's word for it is shown instead.
 */
export function bootListLines(boots: BootSummary[]): string[] {
  const rows = boots.map((boot) => [
    boot.workflowId,
    outcome(boot),
    `started ${boot.startTime.toISOString()}`,
    boot.closeTime ? `ended ${boot.closeTime.toISOString()}` : '',
    boot.plan ?? '',
  ]);
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => row[column]!.length))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd(),
  );
}

function outcome(boot: BootSummary): string {
  const ownPhase = boot.status === 'RUNNING' || boot.status === 'COMPLETED';
  return ownPhase && boot.phase ? boot.phase : executionStatusText(boot.status);
}
