import type { UpdateRun } from './measure';
import type { UpdateSpans } from './update-span';
import { median, row, seconds } from './tools';

const med = (values: number[]) => (values.length ? seconds(median(values)) : '–');
const each = (values: (number | undefined)[]) => values.map(seconds).join(', ');

/** bootwave rows: medians of where the command's time went (see update-span.ts), or '–'. */
function rollout(rs: UpdateRun[]): string {
  const spans = rs.flatMap((r) => (r.spans ? [r.spans] : []));
  if (spans.length === 0) return '–';
  const m = (key: keyof UpdateSpans) => med(spans.map((x) => x[key]));
  return `${m('toWorkflowMs')} / ${m('toStackMs')} / **${m('rolloutMs')}** / ${m('toExitMs')}`;
}

/** The rows of one scenario, grouped by tool in the order they first ran. */
function byTool(results: UpdateRun[], scenario: UpdateRun['scenario']): [string, UpdateRun[]][] {
  const groups = new Map<string, UpdateRun[]>();
  for (const r of results.filter((x) => x.scenario === scenario))
    groups.set(r.tool, [...(groups.get(r.tool) ?? []), r]);
  return [...groups];
}

/** Docker and process: time, new version served, failed requests and outage per changed service. */
function polledTable(
  results: UpdateRun[],
  scenario: 'docker' | 'process',
  services: string[],
  changed: string[],
): void {
  const groups = byTool(results, scenario);
  if (groups.length === 0) return;
  const unchanged = services.filter((s) => !changed.includes(s));
  const per = (label: string) => changed.map((s) => `${label} ${s}`);
  console.log(
    `\n### ${scenario === 'docker' ? 'Docker Compose file' : 'bootwave process driver'}: ${changed.join(', ')} changed, ${unchanged.join(', ')} unchanged\n`,
  );
  console.log(
    row([
      'tool',
      'wall s, median (each run)',
      'bootwave: to workflow / to stack / **rollout** / to exit, s, medians',
      ...per('new version served after s, median (each):'),
      ...per('failed requests / polled, each run:'),
      ...per('first failed request after s, median (each):'),
      ...per('longest outage s, median (each):'),
      `unchanged ${unchanged.join(', ')}: failed, each run`,
      'order · downtime bootwave reports',
    ]),
  );
  console.log(row(Array(5 + changed.length * 4).fill('---')));
  for (const [tool, rs] of groups) {
    const poll = (r: UpdateRun, s: string) => r.polls.find((p) => p.service === s)!;
    console.log(
      row([
        tool,
        `${med(rs.map((r) => r.wallMs))} (${each(rs.map((r) => r.wallMs))})`,
        rollout(rs),
        ...changed.map((s) => {
          const v = rs.map((r) => r.newVersionMs[s]);
          return `${med(v.filter((x): x is number => x !== undefined))} (${each(v)})`;
        }),
        ...changed.map((s) => rs.map((r) => `${poll(r, s).failed}/${poll(r, s).requests}`).join(', ')),
        ...changed.map((s) => {
          const v = rs.map((r) => poll(r, s).firstFailedAtMs);
          return `${med(v.filter((x): x is number => x !== undefined))} (${each(v)})`;
        }),
        ...changed.map((s) => {
          const v = rs.map((r) => poll(r, s).longestOutageMs);
          return `${med(v)} (${each(v)})`;
        }),
        unchanged.map((s) => rs.map((r) => poll(r, s).failed).join(', ')).join(' · '),
        rs[0]!.report
          ? changed
              .map(
                (s) =>
                  `${s}: ${rs[0]!.report![s]?.order ?? '?'} · ${rs.map((r) => r.report![s]?.downtime ?? '?').join(', ')}`,
              )
              .join('; ')
          : '–',
      ]),
    );
  }
}

function kubeTable(results: UpdateRun[]): void {
  const groups = byTool(results, 'kubernetes');
  if (groups.length === 0) return;
  console.log(
    '\n### Kubernetes (KOSMOS on kwok): new image tag of the zeus Deployment; time only (kwok pods serve nothing)\n',
  );
  console.log(
    row([
      'tool',
      'wall s, median (each run)',
      'bootwave: to workflow / to stack / **rollout** / to exit, s, medians',
      'order bootwave reports',
    ]),
  );
  console.log(row(['---', '---', '---', '---']));
  for (const [tool, rs] of groups)
    console.log(
      row([
        tool,
        `${med(rs.map((r) => r.wallMs))} (${each(rs.map((r) => r.wallMs))})`,
        rollout(rs),
        rs[0]!.report
          ? Object.entries(rs[0]!.report)
              .map(([s, x]) => `${s}: ${x.order}`)
              .join(', ')
          : '–',
      ]),
    );
}

export function printTables(results: UpdateRun[], polled: { services: string[]; changed: string[] }): void {
  const loads = results.map((r) => r.load1);
  if (loads.length)
    console.log(
      `\n1-min load average when each update started: ${Math.min(...loads).toFixed(2)} to ${Math.max(...loads).toFixed(2)}`,
    );
  polledTable(results, 'docker', polled.services, polled.changed);
  polledTable(results, 'process', polled.services, polled.changed);
  kubeTable(results);
}
