import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { loadPlanDocument } from '../../src/plan/load-plan-document';
import { loadPlan } from '../../src/plan/load-plan';
import { loadPlanText } from '../../src/plan/load-plan-text';
import { maxWaveIndex } from '../../src/plan/plan-schema';
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
    // Library text must not leak: bootwave's messages start lowercase or with a path, never a JS error's wording.
    // A bare `undefined` is JS leaking; a quoted one is the user's own string (a mutation can write "undefined").
    expect(issue.message).not.toMatch(
      /call stack|YAML\.|parseAllDocuments|expected number, got number|(?<!")undefined(?!")/,
    );
  }
}

/** Nodes of a parsed document: what the loader's work is bounded by. */
function nodesOf(doc: unknown): number {
  let count = 0;
  const stack: unknown[] = [doc];
  while (stack.length > 0) {
    const node = stack.pop();
    count++;
    if (Array.isArray(node)) stack.push(...(node as unknown[]));
    else if (node !== null && typeof node === 'object') stack.push(...Object.values(node));
  }
  return count;
}

/**
 * The no-hang bound, as a step count rather than a timer: the loader's steps grow linearly with the document,
 * plus at most one wave per index up to maxWaveIndex.
 */
function expectBoundedSteps(doc: unknown, steps: number): void {
  expect(steps).toBeLessThanOrEqual(20 * nodesOf(doc) + 2 * (maxWaveIndex + 1));
}

function loadMetered(doc: unknown): LoadResult<ResolvedPlan> {
  const meter = { steps: 0 };
  const result = loadPlanDocument(doc, { ...options, meter });
  expectBoundedSteps(doc, meter.steps);
  return result;
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
  // Huge and non-finite numbers, and numbers written as strings.
  fc.constantFrom(
    1e9,
    2 ** 53,
    Number.MAX_VALUE,
    Infinity,
    -Infinity,
    Number.NaN,
    999,
    1000,
    '99999',
    '0',
    '1e9',
    ' 7 ',
  ),
);
const anyValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.string({ maxLength: 8 }), tie('value'), { maxKeys: 3 }),
  ),
})).value;

type Mutation = {
  at: number;
  op: 'delete' | 'replace' | 'duplicate' | 'rename' | 'stringify' | 'huge';
  value: unknown;
  key: string;
};
const mutation = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('delete', 'replace', 'duplicate', 'rename', 'stringify', 'huge'),
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
  const current = (parent as Record<string | number, unknown>)[key];
  if (m.op === 'stringify' || m.op === 'huge') {
    // Numbers into numeric strings (as `${VAR}` substitution makes them), or into huge indices and counts.
    const replacement = m.op === 'stringify' ? String(current) : typeof current === 'number' ? current * 1e6 : 1e6;
    (parent as Record<string | number, unknown>)[key] = replacement;
    return copy;
  }
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
      fc.property(anyValue, (doc) => expectPlanOrIssues(loadMetered(doc))),
      { numRuns: 300 },
    );
  });

  test('mutated example plans give a plan or issues', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...examples),
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (doc, mutations) => {
          expectPlanOrIssues(loadMetered(mutations.reduce(mutate, doc)));
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

  test('hostile YAML text (deep nesting, several documents, tags, anchors) gives issues', () => {
    const texts = examples.map((doc) => stringify(doc));
    const hostile = fc.oneof(
      fc.nat({ max: 100_000 }).map((depth) => `name: p\nservices:\n  a: ${'['.repeat(depth)}${']'.repeat(depth)}\n`),
      fc
        .nat({ max: 2000 })
        .map(
          (depth) =>
            `name: p\nservices:\n${'  '.repeat(1)}${Array.from({ length: depth }, (_, i) => `${'  '.repeat(i + 1)}k${i}:`).join('\n')} 1\n`,
        ),
      fc.tuple(fc.constantFrom(...texts), fc.constantFrom(...texts)).map(([a, b]) => `${a}---\n${b}`),
      fc
        .tuple(
          fc.constantFrom(...texts),
          fc.constantFrom('!!binary', '!!set', '!!timestamp', '!foo', '!!str', '!!int', '!reset'),
          fc.nat(),
        )
        .map(([text, tag, at]) => {
          const lines = text.split('\n');
          const index = at % lines.length;
          lines[index] = lines[index]!.replace(/: (\S)/, `: ${tag} $1`);
          return lines.join('\n');
        }),
      fc.nat({ max: 12 }).map((levels) => {
        let text = 'a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n';
        for (let i = 0; i < levels; i++)
          text += `b${i}: &b${i} [${Array(10)
            .fill(i === 0 ? '*a' : `*b${i - 1}`)
            .join(', ')}]\n`;
        return `${text}name: p\nservices: {}\n`;
      }),
    );
    fc.assert(
      fc.property(hostile, (text) => {
        const result = loadPlanText(text, options);
        expectPlanOrIssues(result);
      }),
      { numRuns: 200 },
    );
  });

  test('bytes that are not UTF-8 give one issue naming the byte', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bootwave-fuzz-'));
    try {
      fc.assert(
        fc.property(
          fc.uint8Array({ minLength: 1, maxLength: 64 }),
          fc.constantFrom(...examples.map((d) => stringify(d))),
          (bytes, text) => {
            const file = join(dir, 'plan.yaml');
            writeFileSync(
              file,
              Buffer.concat([Buffer.from(text.slice(0, 40)), Buffer.from([0xff]), Buffer.from(bytes)]),
            );
            const result = loadPlan(file, { env: options.env, profiles: options.profiles });
            expect(result).toEqual({
              ok: false,
              errors: [
                {
                  file,
                  path: '',
                  message: `Failed to read plan: not UTF-8 text (byte ${Buffer.byteLength(text.slice(0, 40))} is 0xff)`,
                },
              ],
            });
          },
        ),
        { numRuns: 50 },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the step count stays linear on a 5,000-service chain with a huge wave index', () => {
    const services: Record<string, unknown> = {};
    for (let i = 0; i < 5000; i++)
      services[`s${i}`] = { process: { command: ['x'] }, ...(i > 0 ? { dependsOn: [`s${i - 1}`] } : {}) };
    const doc = { name: 'chain', services };
    const result = loadMetered(doc);
    expect(result.ok && result.plan.waves.length).toBe(5000);
    const huge = loadMetered({ name: 'p', services: { a: { process: { command: ['x'] }, wave: 1e9 } } });
    expect(huge.ok).toBe(false);
  });
});
