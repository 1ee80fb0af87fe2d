import { LineCounter, parseAllDocuments } from 'yaml';
import { readYaml, yamlMessage } from '../../src/plan/read-yaml';

/** The YAML problems of `text` as the library reports them with its own duplicate-key check (quadratic). */
function libraryErrors(text: string): string[] {
  const lineCounter = new LineCounter();
  const parsed = parseAllDocuments(text, {
    merge: true,
    uniqueKeys: true,
    strict: true,
    prettyErrors: false,
    lineCounter,
  });
  const document = Array.isArray(parsed) ? parsed[0]! : undefined;
  return [...(document?.errors ?? []), ...(document?.warnings ?? [])]
    .filter((error) => error.code !== 'TAG_RESOLVE_FAILED')
    .map((error) => {
      const { line, col } = lineCounter.linePos(error.pos[0]);
      return `${line}:${col} ${yamlMessage(error, text)}`;
    });
}

function readErrors(text: string): string[] {
  const read = readYaml(text, 'plan.yaml', { merge: true });
  return read.ok ? [] : read.errors.map((error) => `${error.line}:${error.col} ${error.message}`);
}

/** readYaml finds duplicate keys with a set per mapping, and reports them exactly as the library's check does. */
describe('duplicate keys', () => {
  test.each([
    ['the second of two keys', 'a: 1\na: 2\n'],
    ['a block mapping: inner first, then the outer key', 'a:\n  b: 1\n  b: 2\na: 3\n'],
    ['a flow mapping: after its value, so the inner one first', '{a: 1, a: {x: 1, x: 2}}\n'],
    ['a key at column 0 after an empty value: where that entry ended', 'a:\n  - b:\na: 1\n'],
    ['empty keys', '? \n: 1\n? \n: 2\n'],
    ['equal values however written', '&x a: 1\n!!str a: 2\n"a": 3\n1: a\n1.0: b\n0x1: c\n'],
    ['in the entries of a !!pairs list', '!!pairs\n- a: { x: 1, x: 2 }\n'],
    ['a comment line between the two', 'services:\n  a: { x: 1 }\n  # again\n  a: { x: 2 }\n'],
    ['beside other YAML errors, in the library order', 'a: 1\na: { b: 1, b: 2 }\nc: [\n'],
    ['in JSON', '{"name": "p", "name": "q", "services": {}}'],
  ])('%s', (_, text) => {
    expect(readErrors(text)).toEqual(libraryErrors(text));
    expect(readErrors(text).length).toBeGreaterThan(0);
  });

  test('NaN equals no key, and no merge key another', () => {
    expect(readYaml('x: &x { a: 1 }\n.nan: 1\n.nan: 2\ny: { <<: *x, <<: *x }\n', 'plan.yaml', { merge: true }).ok).toBe(
      true,
    );
  });
});

describe('aliases', () => {
  test('stand for the latest anchor of their name before them, as the same value, merge keys included', () => {
    const read = readYaml('a: &x { p: 1 }\nb: { <<: *x, q: 2 }\nc: &x [1]\nd: *x\ne: [*x]\n', 'plan.yaml', {
      merge: true,
    });
    expect(read).toEqual({
      ok: true,
      doc: { a: { p: 1 }, b: { p: 1, q: 2 }, c: [1], d: [1], e: [[1]] },
    });
    const doc = (read as { doc: { c: unknown; d: unknown } }).doc;
    expect(doc.d).toBe(doc.c);
  });
});
