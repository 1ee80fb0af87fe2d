import { criticalPath } from './critical-path';
import { formatDuration } from './duration';
import { formatSize } from './size';
import type { ResolvedPlan, WaveSpec } from './types';
import { counted } from '../counted';

export const GraphFormats = ['text', 'mermaid', 'dot'] as const;
export type GraphFormat = (typeof GraphFormats)[number];

/** The plan's graph as text (waves, topological order, critical path), a Mermaid flowchart or Graphviz DOT. */
export function renderGraph(plan: ResolvedPlan, format: GraphFormat): string {
  switch (format) {
    case 'text':
      return renderText(plan);
    case 'mermaid':
      return renderMermaid(plan);
    case 'dot':
      return renderDot(plan);
  }
}

function waveDetails(wave: WaveSpec): string {
  const details = [
    wave.memoryBudgetBytes === undefined ? undefined : `budget ${formatSize(wave.memoryBudgetBytes)}`,
    wave.deadlineMs === undefined ? undefined : `deadline ${formatDuration(wave.deadlineMs)}`,
  ].filter((d): d is string => d !== undefined);
  return details.length === 0 ? '' : ` (${details.join(', ')})`;
}

function renderText(plan: ResolvedPlan): string {
  const path = criticalPath(plan);
  const lines = [
    `plan ${plan.name}: ${counted(plan.services.length, 'service')} in ${counted(plan.waves.length, 'wave')}`,
    '',
    'waves:',
  ];
  for (const wave of plan.waves)
    lines.push(`  ${wave.index} ${wave.name}${waveDetails(wave)}: ${wave.services.join(', ') || '(empty)'}`);
  lines.push('', 'topological order:', `  ${plan.services.map((s) => s.name).join(' → ')}`);
  lines.push('', `critical path (${formatDuration(path.lengthMs)}):`, `  ${path.path.join(' → ')}`);
  return lines.join('\n');
}

/** Mermaid ids: service names are already safe ([a-z0-9-]) but a leading digit or `end` confuse it, so prefix. */
const id = (name: string) => `s_${name.replace(/-/g, '_')}`;
const waveId = (wave: WaveSpec) => `w${wave.index}`;

function renderMermaid(plan: ResolvedPlan): string {
  const lines = ['flowchart LR'];
  for (const wave of plan.waves) {
    lines.push(`  subgraph ${waveId(wave)}["wave ${wave.index}: ${wave.name}${waveDetails(wave)}"]`);
    for (const name of wave.services) lines.push(`    ${id(name)}["${name}"]`);
    lines.push('  end');
  }
  for (const service of plan.services) {
    for (const dependency of service.dependsOn) {
      const arrow = dependency.kind === 'wants' ? '-.->' : '-->';
      const label = dependency.condition === 'healthy' ? '' : `|${dependency.condition}|`;
      lines.push(`  ${id(dependency.service)} ${arrow}${label} ${id(service.name)}`);
    }
  }
  return lines.join('\n');
}

function renderDot(plan: ResolvedPlan): string {
  const lines = ['digraph "' + plan.name + '" {', '  rankdir=LR;', '  node [shape=box];'];
  for (const wave of plan.waves) {
    lines.push(
      `  subgraph cluster_${wave.index} {`,
      `    label="wave ${wave.index}: ${wave.name}${waveDetails(wave)}";`,
    );
    for (const name of wave.services) lines.push(`    "${name}";`);
    lines.push('  }');
  }
  for (const service of plan.services) {
    for (const dependency of service.dependsOn) {
      const attributes = [
        dependency.kind === 'wants' ? 'style=dashed' : undefined,
        dependency.condition === 'healthy' ? undefined : `label="${dependency.condition}"`,
      ].filter(Boolean);
      lines.push(
        `  "${dependency.service}" -> "${service.name}"${attributes.length ? ` [${attributes.join(', ')}]` : ''};`,
      );
    }
  }
  lines.push('}');
  return lines.join('\n');
}
