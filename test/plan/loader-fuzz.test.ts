import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { loadPlanDocument } from '../../src/plan/load-plan-document';
import { loadPlanText } from '../../src/plan/load-plan-text';
import type { LoadResult } from '../../src/plan/plan-issue';
import type { ResolvedPlan } from '../../src/plan/types';

/** The loader's promise: a plan, or a non-empty list of well-formed issues; never an exception. */
function expectPlanOrIssues(result: LoadResult<ResolvedPlan>): void {
  if (result.ok) {
    expect(result.plan.services.length).toBeGreaterThan(0);
    expect(() => JSON.stringify(result.plan)).not.toThrow();
    return;
  }
  expect(result.errors.length).toBeGreaterThan(0);
  for (const issue of result.errors) {
    expect(typeof issue.path).toBe('string');
    expect(typeof issue.message).toBe('string');
    expect(issue.message.length).toBeGreaterThan(0);
    // The loader's last-resort catch turns a bug into this message: the fuzzer must never reach it.
    expect(issue.message).not.toMatch(/^Failed to load plan:/);
  }
}

const examples = ['kosmos', 'cascade-mainpc', 'cascade-pc2', 'somaagent'].map(
  (name) => parse(readFileSync(`examples/${name}/plan.yaml`, 'utf8')) as unknown,
);
const options = { file: 'fuzz.yaml', env: { SOMA_REDIS_PORT: '18302' }, profiles: ['core'] };

const leaf = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('10s', '1GiB', 'healthy', 'wants', 'http', 'staged', '${X}', '$$', 'a', '-1'),
);
const anyValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 8 }), tie('value'), { maxKeys: 3 }),
  ),
})).value;

type Mutation = { at: number; op: 'delete' | 'replace' | 'duplicate' | 'rename'; value: unknown; key: string };
const mutation = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('delete', 'replace', 'duplicate', 'rename'),
  value: anyValue,
  key: fc.string({ maxLength: 10 }),
}) as fc.Arbitrary<Mutation>;

/** Applies a mutation at the `at`-th node (depth-first) of a deep copy of the document. */
function mutate(doc: unknown, m: Mutation): unknown {
  const copy = structuredClone(doc);
  const containers: Array<[Record<string, unknown> | unknown[], string | number]> = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) {
      node.forEach((child, index) => {
        containers.push([node, index]);
        walk(child);
      });
    } else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        containers.push([node as Record<string, unknown>, key]);
        walk(child);
      }
    }
  };
  walk(copy);
  if (containers.length === 0) return copy;
  const [parent, key] = containers[m.at % containers.length]!;
  if (Array.isArray(parent)) {
    const index = key as number;
    if (m.op === 'delete') parent.splice(index, 1);
    else if (m.op === 'duplicate') parent.splice(index, 0, structuredClone(parent[index]));
    else parent[index] = m.value;
  } else {
    const record = parent as Record<string, unknown>;
    if (m.op === 'delete') delete record[key as string];
    else if (m.op === 'rename') [record[m.key], record[key as string]] = [record[key as string], undefined];
    else if (m.op === 'duplicate') record[`${key as string}2`] = structuredClone(record[key as string]);
    else record[key as string] = m.value;
  }
  return copy;
}

describe('loader fuzzing', () => {
  test('every example plan loads', () => {
    for (const doc of examples) expect(loadPlanDocument(doc, options).ok).toBe(true);
  });

  test('random documents give a plan or issues', () => {
    fc.assert(
      fc.property(anyValue, (doc) => expectPlanOrIssues(loadPlanDocument(doc, options))),
      { numRuns: 300 },
    );
  });

  test('mutated example plans give a plan or issues', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...examples),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (doc, mutations) => {
          expectPlanOrIssues(loadPlanDocument(mutations.reduce(mutate, doc), options));
        },
      ),
      { numRuns: 300 },
    );
  });

  test('mutated plan text (cut, spliced, random) gives a plan or issues', () => {
    const texts = examples.map((doc) => stringify(doc));
    fc.assert(
      fc.property(
        fc.constantFrom(...texts),
        fc.nat(),
        fc.nat(),
        fc.string({ maxLength: 20 }),
        (text, from, length, insert) => {
          const start = from % (text.length + 1);
          const mutated = text.slice(0, start) + insert + text.slice(start + (length % 40));
          expectPlanOrIssues(loadPlanText(mutated, options));
        },
      ),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => expectPlanOrIssues(loadPlanText(text, options))),
      { numRuns: 300 },
    );
  });
});
