import { existsSync } from 'node:fs';
import { checkBootInput, checkPlan } from '../../src/contract/boot-input-schema';
import * as bootInput from '../../src/plan/boot-input';
import * as planTypes from '../../src/plan/types';
import { sharedWorkflowModules } from '../../src/engine/shared-workflow-modules';
import { loadPlanOrCompose } from '../../src/compose/load-any';

/** What the SDK does to a preloaded module's exports before any workflow runs (see `reusable-vm.js`). */
function deepFreeze<T>(value: T, seen = new WeakSet<object>()): T {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return value;
  if (seen.has(value as object)) return value;
  seen.add(value as object);
  if (typeof value === 'object')
    for (const key of Reflect.ownKeys(value as object)) deepFreeze((value as Record<PropertyKey, unknown>)[key], seen);
  return Object.freeze(value);
}

describe('modules shared by every workflow (preloaded once, frozen by the SDK)', () => {
  it('name modules that exist', () => {
    for (const file of sharedWorkflowModules) expect(existsSync(file)).toBe(true);
  });

  it('the input check works with its exports and the constants it imports frozen', () => {
    const loaded = loadPlanOrCompose('examples/demo/plan.yaml', {});
    if (!loaded.ok) throw new Error('the demo plan does not load');
    const plan = loaded.plan;
    for (const exports of [bootInput, planTypes, { checkPlan, checkBootInput }]) deepFreeze(exports);
    expect(checkPlan(plan)).toEqual([]);
    expect(checkBootInput({ plan, options: { strategy: 'waves' } })).toMatchObject({ ok: true });
    const broken = JSON.parse(JSON.stringify(plan)) as { services: Record<string, unknown>[] };
    delete broken.services[1]!.target;
    expect(checkPlan(broken)).toEqual([`services[1].target: required`]);
  });
});
