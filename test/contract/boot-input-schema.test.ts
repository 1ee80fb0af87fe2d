import { checkBootInput, checkPlan, checkWaveServices } from '../../src/contract/boot-input-schema';
import { defaultBootOptions } from '../../src/plan/boot-input';
import type { ResolvedPlan } from '../../src/plan/types';
import { planFromText, threeServicePlan } from '../support/plan-text';

const plan = planFromText(threeServicePlan);
/** The plan with one change made to a JSON copy (the way a hand-edited input differs). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a free-form copy, edited the way a person edits JSON
type Json = any;
const edited = (edit: (doc: Json) => void): unknown => {
  const doc = JSON.parse(JSON.stringify(plan)) as Json;
  edit(doc);
  return doc;
};

describe('checkBootInput', () => {
  it('accepts a loaded plan and fills in the default options', () => {
    expect(checkBootInput({ plan, options: { strategy: 'waves' } })).toEqual({
      ok: true,
      input: { plan, options: { ...defaultBootOptions, strategy: 'waves' } },
    });
  });

  it('accepts a bare plan without the { plan, options } wrapper', () => {
    expect(checkBootInput(plan)).toEqual({ ok: true, input: { plan, options: defaultBootOptions } });
  });

  it.each<[string, unknown, string[]]>([
    ['no input at all', null, ['input: expected a mapping, got null']],
    [
      'waves that are not a list',
      edited((d) => (d.waves = 'nope')),
      ['plan.waves: expected a list, got string "nope"'],
    ],
    ['a service with no target', edited((d) => delete d.services[0].target), ['plan.services[0].target: required']],
    [
      'an unknown driver name',
      edited((d) => (d.services[2].target.driver = 'podman')),
      ['plan.services[2].target.driver: unknown driver "podman": expected one of process, docker, kubernetes'],
    ],
    [
      'several problems at once',
      edited((d) => {
        d.services[0].startTimeoutMs = 0;
        d.services[1].dependsOn[0].condition = 'ready';
      }),
      [
        'plan.services[0].startTimeoutMs: must be at least 1, got 0',
        'plan.services[1].dependsOn[0].condition: must be one of "started", "healthy", "completed", got "ready"',
      ],
    ],
    [
      'a wave naming a service that does not exist',
      edited((d) => d.waves[1].services.push('ghost')),
      ['plan.waves[1].services[1]: no service named "ghost"'],
    ],
    [
      'a dependency on a service that does not exist, and one in a later wave',
      edited((d) => {
        d.services[2].dependsOn[0].service = 'ghost';
        d.services[0].dependsOn.push({ service: 'api', kind: 'requires', condition: 'started' });
      }),
      [
        'plan.services[0].dependsOn[0].service: api boots in a later wave (apps) than db',
        'plan.services[2].dependsOn[0].service: no service named "ghost"',
      ],
    ],
  ])('refuses %s, naming every problem with its path', (_case, input, problems) => {
    expect(checkBootInput(input)).toEqual({ ok: false, problems });
  });
});

describe('checkWaveServices and checkPlan', () => {
  it('accept what a boot passes its waves and what down passes its teardown', () => {
    const wave = {
      plan: plan.name,
      bootId: 'run-1',
      wave: plan.waves[0],
      services: plan.services.slice(0, 2),
      options: defaultBootOptions,
      known: {},
      subscribers: {},
      paused: false,
    };
    expect(checkWaveServices(wave)).toEqual([]);
    expect(checkPlan(plan)).toEqual([]);
  });

  it('refuse a hand-started wave or teardown with a broken plan', () => {
    expect(checkWaveServices({ plan: 'x', services: 'none' })).toEqual([
      'bootId: required',
      'wave: required',
      'services: expected a list, got string "none"',
      'options: required',
      'known: required',
      'subscribers: required',
      'paused: required',
    ]);
    expect(checkPlan({ ...plan, services: [] } as ResolvedPlan)).toEqual(['services: must not be empty']);
  });
});
