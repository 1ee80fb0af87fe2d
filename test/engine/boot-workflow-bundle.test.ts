import { runInNewContext } from 'node:vm';
import { leanWorkflowBundle } from '../../src/engine/boot-workflow-bundle';

/** Code that holds characters outside Latin-1 wherever a bundle may: strings, a regular expression, escapes, a comment. */
const code = [
  '// a comment → with an arrow',
  'const arrow = "a→b";',
  'const emoji = "ok 😀";',
  'const escaped = "\\→";',
  'const backslash = "\\\\→";',
  'const pattern = /[→😀]/u;',
  'const latin = "café";',
  'result = [arrow, emoji, escaped, backslash, pattern.test("x😀"), pattern.test("x"), latin];',
].join('\n');

const inlineMap = (map: object) =>
  `//# sourceMappingURL=data:application/json;charset=utf-8;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}\n`;

const run = (script: string) => runInNewContext(`let result; ${script}; result`) as unknown;

const mapOf = (bundle: string) =>
  JSON.parse(Buffer.from(bundle.slice(bundle.indexOf('base64,') + 7), 'base64').toString('utf8')) as Record<
    string,
    unknown
  >;

describe('leanWorkflowBundle', () => {
  it('writes every character outside Latin-1 as an escape that means the same', () => {
    const lean = leanWorkflowBundle(code);
    expect([...lean].every((c) => c.charCodeAt(0) <= 0xff)).toBe(true);
    expect(run(lean)).toEqual(run(code));
    expect(run(lean)).toEqual(['a→b', 'ok 😀', '→', '\\→', true, false, 'café']);
  });

  it('keeps the source map without the sources it quotes', () => {
    const map = {
      version: 3,
      file: 'bundle.js',
      sources: ['a.ts'],
      names: [],
      mappings: 'AAAA',
      sourcesContent: ['x'],
    };
    const lean = leanWorkflowBundle(`${code}\n${inlineMap(map)}`);
    const { sourcesContent, ...kept } = map;
    expect(sourcesContent).toHaveLength(1);
    expect(mapOf(lean)).toEqual(kept);
    expect(run(lean)).toEqual(run(code));
  });
});
