import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importCompose } from '../../src/compose/import-compose';
import type { DockerTarget, ServiceSpec } from '../../src/plan/types';

/** An import's result as tests read it: a service by name, and the errors and warnings as `path: message`. */
export function importedView(result: ReturnType<typeof importCompose>) {
  const service = (name: string) =>
    result.ok
      ? (result.plan.services.find((s) => s.name === name) as ServiceSpec & { target: DockerTarget })
      : undefined;
  return {
    result,
    service,
    errors: result.ok ? [] : result.errors.map((e) => `${e.path}: ${e.message}`),
    warnings: result.warnings.map((w) => `${w.path}: ${w.message}`),
  };
}

/** Writes `text` as `compose.yaml` in `dir` and imports it with `env` as the whole environment. */
export function importText(dir: string, text: string, env: Record<string, string> = {}) {
  const file = join(dir, 'compose.yaml');
  writeFileSync(file, text);
  return importedView(importCompose(file, { env }));
}
