import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importCompose } from '../../src/compose/import-compose';
import { interpolate, substituteVariables } from '../../src/compose/interpolate';
import type { DockerTarget, ServiceSpec } from '../../src/plan/types';

// Expected values are what Docker Compose v2.40.3 gives (`docker compose config`), checked case by case.
const vars: Record<string, string> = { SET: 'value', EMPTY: '', A: '1', S: 'sv' };
const lookup = (name: string) => (Object.hasOwn(vars, name) ? vars[name] : undefined);
const value = (text: string) => {
  const result = substituteVariables(text, lookup);
  expect(result.errors).toEqual([]);
  return result.value;
};
const errors = (text: string) => substituteVariables(text, lookup).errors;

describe('substituteVariables', () => {
  test('plain references, $$ and a $ that starts no reference', () => {
    expect(value('$A ${A} $$A $${A} $5 and $ and end$')).toBe('1 1 $A ${A} $5 and $ and end$');
    expect(value('x${S}y${S:-q}z')).toBe('xsvysvz');
  });

  test('defaults are interpolated: nested defaults and $$ in a default', () => {
    expect(value('${OUTER:-${INNER:-deep}}')).toBe('deep');
    expect(value('${OUTER:-${A:-deep}}')).toBe('1');
    expect(value('${SET:-${INNER:-deep}}')).toBe('value');
    expect(value('${A:-${B:-${C:-three}}}-${D:-d}')).toBe('1-d');
    expect(value('${X:-${B:-${C:-three}}}-${D:-d}')).toBe('three-d');
    expect(value('${NOPE:-x $$5}')).toBe('x $5');
    expect(value('${NOPE:-$$}')).toBe('$');
    expect(value('${NOPE:-$S-bare}')).toBe('sv-bare');
    expect(value('${NOPE:-${B:-x}${C:-y}}')).toBe('xy');
  });

  test('- and :- tell unset from empty', () => {
    expect(value('${EMPTY-unset}|${EMPTY:-empty}|${NOPE-unset}|${NOPE:-unset}|${SET:-x}')).toBe(
      '|empty|unset|unset|value',
    );
    expect(value('${NOPE:-}|${NOPE-}')).toBe('|');
  });

  test('alternative values: :+ when set and not empty, + when set', () => {
    expect(value('${SET:+alt-value}')).toBe('alt-value');
    expect(value('${SET+alt}')).toBe('alt');
    expect(value('${EMPTY:+alt}')).toBe('');
    expect(value('${EMPTY+alt}')).toBe('alt');
    expect(value('${NOPE:+alt}')).toBe('');
    expect(value('${NOPE+alt}')).toBe('');
    expect(value('${S:+${T:-tt}}')).toBe('tt');
    expect(value('${S-}|${S+}|${S:+}|${S:-}')).toBe('sv|||sv');
  });

  test('a reference with an operator ends at its matching brace, counted as Compose counts', () => {
    expect(value('${NOPE:-x}y}')).toBe('xy}');
    expect(value('${NOPE:-a}-${B:-b}')).toBe('a-b');
    expect(value('${NOPE:-{x}}')).toBe('{x}');
    expect(value('${NOPE:-{x}')).toBe('{x');
    expect(value('${NOPE:-{}}')).toBe('{}');
    expect(value('${NOPE:-{}}x}')).toBe('{}}x');
    expect(value('${S:-a}}}')).toBe('sv}}');
    expect(value('${NOPE:-a:-b}|${NOPE-x-y}')).toBe('a:-b|x-y');
    expect(value('${NOPE:-{x}\n${B:-y}')).toBe('{x\ny');
  });

  test('required variables: :? when unset or empty, ? when unset; the message is interpolated', () => {
    expect(value('${A:?msg}|${A?msg}|${EMPTY?msg}|${S:?x}')).toBe('1|1||sv');
    expect(errors('${NOPE:?set NOPE to the release}')).toEqual([
      'required variable NOPE is missing a value: set NOPE to the release',
    ]);
    expect(errors('${EMPTY:?}')).toEqual(['required variable EMPTY is missing a value']);
    expect(errors('${NOPE?}')).toEqual(['required variable NOPE is missing a value']);
    expect(errors('${NOPE:?$S is bad}')).toEqual(['required variable NOPE is missing a value: sv is bad']);
    // Compose interpolates a default even when the variable is set: a required variable in it is an error.
    expect(errors('${S:-${B:?need B}}')).toEqual(['required variable B is missing a value: need B']);
    expect(errors('${S:+${B:?need B}}')).toEqual(['required variable B is missing a value: need B']);
    expect(errors('${A:-x}${B:?oops}')).toEqual(['required variable B is missing a value: oops']);
  });

  test('malformed references are errors', () => {
    const invalid = (ref: string) => expect.stringContaining(`invalid variable reference "${ref}"`);
    expect(errors('${A:=x}')).toEqual([invalid('${A:=x}')]);
    expect(errors('${ A }')).toEqual([invalid('${ A }')]);
    expect(errors('${}')).toEqual([invalid('${}')]);
    expect(errors('${1A}')).toEqual([invalid('${1A}')]);
    expect(errors('${A.B}')).toEqual([invalid('${A.B}')]);
    expect(errors('${A')).toEqual(['unterminated "${" in "${A": write "$$" for a literal "$"']);
    expect(errors('${A:-x')).toEqual(['unterminated "${" in "${A:-x": write "$$" for a literal "$"']);
    expect(errors('${A:-x\ny}')).toEqual([expect.stringContaining('unterminated "${"')]);
    expect(errors('a ${A:-x} ${')).toEqual([expect.stringContaining('unterminated "${"')]);
    expect(errors('${A:-${B}')).toEqual([expect.stringContaining('unterminated "${"')]);
    expect(errors('${NOPE:-{x} and ${B:-y}')).toEqual([expect.stringContaining('unterminated "${"')]);
  });

  test('deep nesting is an error, not a stack overflow; long lines of references take linear time', () => {
    expect(value(`${'${N:-'.repeat(60)}x${'}'.repeat(60)}`)).toBe('x');
    expect(errors(`${'${N:-'.repeat(5000)}x${'}'.repeat(5000)}`)).toEqual([
      expect.stringMatching(/^variable references nested more than 64 deep in /),
    ]);
    const started = Date.now();
    expect(value(`${'${NOPE:-x}'.repeat(50_000)}${'.'.repeat(200_000)}`)).toBe(
      `${'x'.repeat(50_000)}${'.'.repeat(200_000)}`,
    );
    expect(Date.now() - started).toBeLessThan(2000);
  });

  test('lists the unset variables of plain references only, once each', () => {
    expect(substituteVariables('$NOPE ${NOPE} ${OTHER} ${X:-d} ${X:+a} ${X-d}', lookup).unset).toEqual([
      'NOPE',
      'OTHER',
    ]);
    // Defaults are interpolated even when unused: an unset variable in one is listed (Compose warns).
    expect(substituteVariables('${S:-${UNS}}', lookup)).toEqual({ value: 'sv', errors: [], unset: ['UNS'] });
  });
});

describe('interpolate', () => {
  test('every string value, with errors and warnings at their paths; inherited names are not variables', () => {
    const result = interpolate(
      { a: ['${SET:+alt}', '${constructor}', { b: '${NOPE:?needed}' }], c: 5, k$A: '${A+x}' },
      { SET: 'v' },
    );
    expect(result.value).toEqual({ a: ['alt', '', { b: '' }], c: 5, k$A: '' });
    expect(result.errors).toEqual([{ path: 'a[2].b', message: 'required variable NOPE is missing a value: needed' }]);
    expect(result.warnings).toEqual([
      { path: 'a[1]', message: 'variable constructor is not set; substituting an empty string (as Compose does)' },
    ]);
  });
});

describe('importCompose interpolation', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bootwave-interpolate-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('alternative values and nested defaults in a Compose file', () => {
    const file = join(dir, 'compose.yaml');
    writeFileSync(
      file,
      [
        'services:',
        '  app:',
        '    image: busybox:1',
        '    environment:',
        '      ALT: ${SET_VAR:+alt-value}',
        '      ALT_SET: ${EMPTY+alt}',
        '      ALT_UNSET: ${NOPE:+alt}',
        '      NESTED: ${OUTER:-${INNER:-deep}}',
        '      DOLLAR: ${NOPE:-x $$5}',
        '      REQUIRED: ${SET_VAR:?msg}',
        '',
      ].join('\n'),
    );
    const result = importCompose(file, { env: { SET_VAR: 'on', EMPTY: '' } });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    const app = result.plan.services[0] as ServiceSpec & { target: DockerTarget };
    expect(app.target.env).toEqual({
      ALT: 'alt-value',
      ALT_SET: 'alt',
      ALT_UNSET: '',
      NESTED: 'deep',
      DOLLAR: 'x $5',
      REQUIRED: 'on',
    });
  });

  test('a required variable without a value names the file, the path and the message', () => {
    const file = join(dir, 'compose.yaml');
    writeFileSync(
      file,
      'services:\n  app:\n    image: "x:${TAG:?set TAG}"\n    environment: { B: "${EMPTY?must be defined}${B?}" }\n',
    );
    const result = importCompose(file, { env: { EMPTY: '' } });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.errors).toEqual([
        { file, path: 'services.app.image', message: 'required variable TAG is missing a value: set TAG' },
        { file, path: 'services.app.environment.B', message: 'required variable B is missing a value' },
      ]);
  });
});
