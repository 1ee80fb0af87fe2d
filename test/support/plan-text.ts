import { loadPlanText } from '../../src/plan/load-plan-text';
import type { ResolvedPlan } from '../../src/plan/types';

/** A resolved plan from plan YAML through the real (pure) loader, for unit tests of decisions on plans. */
export function planFromText(text: string): ResolvedPlan {
  const result = loadPlanText(text, {
    file: 'plan.yaml',
    env: {},
    resolvePath: (path) => `/plans/${path}`,
    manifestProblems: () => [],
  });
  if (!result.ok) throw new Error(result.errors.map((e) => `${e.path}: ${e.message}`).join('\n'));
  return result.plan;
}

/** Three process services in two waves: db ← api (healthy), db ← migrate (completed one-shot) ← api. */
export const threeServicePlan = `
name: shop
waves: [{ name: data }, { name: apps }]
services:
  db: { wave: data, process: { command: [db] } }
  migrate: { wave: data, oneShot: true, process: { command: [migrate] }, dependsOn: [db] }
  api:
    wave: apps
    process: { command: [api] }
    dependsOn: [{ service: db, condition: healthy }, { service: migrate, condition: completed }]
`;
