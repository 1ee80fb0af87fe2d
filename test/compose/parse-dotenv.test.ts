import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { importCompose } from '../../src/compose/import-compose';
import { dotenvIssues, parseDotenv, parseRawEnv } from '../../src/compose/parse-dotenv';
import type { DockerTarget, ServiceSpec } from '../../src/plan/types';

// Expected values are what Docker Compose v2.40.3 gives (`docker compose config`), checked case by case.
const from =
  (vars: Record<string, string>) =>
  (name: string): string | undefined =>
    Object.hasOwn(vars, name) ? vars[name] : undefined;

describe('parseDotenv', () => {
  test('values use earlier lines: unquoted and double-quoted are substituted, single-quoted are literal', () => {
    const text = 'A=1\nB=${A}-x\nC="${A}-dq"\nD=\'${A}-sq\'\nE=${UNSET_Z:-dflt}\nF=$A$A\nG=${A:+alt}\nH=${NOPE+alt}\n';
    expect(parseDotenv(text)).toEqual({
      values: { A: '1', B: '1-x', C: '1-dq', D: '${A}-sq', E: 'dflt', F: '11', G: 'alt', H: '' },
      errors: [],
      warnings: [],
    });
  });

  test('nested defaults and $$ in values', () => {
    const { values } = parseDotenv("L=${OUTER:-${INNER:-deep}}\nM=${NOPE:-x $$5}\nN=$$lit\nO='$$lit'\n");
    expect(values).toEqual({ L: 'deep', M: 'x $5', N: '$lit', O: '$$lit' });
  });

  test('lookup first (the environment wins over earlier lines), then earlier lines, then known', () => {
    const { values } = parseDotenv('A=1\nB=${A}-x\nC=${K}\nK=own\nD=${K}\nE=${P}\n', {
      lookup: from({ A: '9', P: 'p' }),
      known: { K: 'known', A: 'known' },
    });
    expect(values).toEqual({ A: '1', B: '9-x', C: 'known', K: 'own', D: 'own', E: 'p' });
  });

  test("Compose's syntax: export, KEY: value, comments, quotes, escapes, bare keys", () => {
    const text = [
      '# a comment',
      'K: yaml',
      'L:  "q v" # c',
      'M=a #c',
      'N=a#b',
      'O="x" # after the quote',
      'export P=1',
      '   Q = spaced  ',
      'R=',
      'T="multi',
      'line"',
      'U=\\$x',
      'V="\\$y $$z"',
      'W="a\\\\b\\"c\\td\\ne\\q"',
      "X2='a\\'b\\n'",
      'Y="\\0101"',
      'BARE',
      'BARE_UNSET',
      'CRLF=value\r',
      'LAST',
    ].join('\n');
    const result = parseDotenv(text, { lookup: from({ BARE: 'from-env', x: 'X', LAST: 'l' }) });
    expect(result.values).toEqual({
      K: 'yaml',
      L: 'q v',
      M: 'a',
      N: 'a#b',
      O: 'x',
      P: '1',
      Q: 'spaced',
      R: '',
      T: 'multi\nline',
      U: '\\X',
      V: '$y $z',
      W: 'a\\b"c\td\ne\\q',
      X2: "a'b\\n",
      Y: 'A',
      BARE: 'from-env',
      CRLF: 'value',
      LAST: 'l',
    });
    expect(result.errors).toEqual([]);
  });

  test('required variables are errors at their key, unset ones warnings; syntax errors at line and column', () => {
    const result = parseDotenv('A=1\nB=${R:?need R}\nC="$NOPE"\n');
    expect(result.errors).toEqual([
      { key: 'B', line: 2, col: 1, message: 'required variable R is missing a value: need R' },
    ]);
    expect(result.warnings).toEqual([
      {
        key: 'C',
        line: 3,
        col: 1,
        message: 'variable NOPE is not set; substituting an empty string (as Compose does)',
      },
    ]);
    expect(parseDotenv('A=1\nA*B=1\n').errors).toEqual([
      { line: 2, col: 2, message: 'unexpected character "*" in variable name "A*B=1"' },
    ]);
    expect(parseDotenv('A B=1\n').errors).toEqual([
      { line: 1, col: 1, message: 'variable name "A B" contains a space' },
    ]);
    expect(parseDotenv('A=1\nB="open\nC=2\n').errors).toEqual([
      { line: 2, col: 3, message: 'unterminated quoted value: the " opened here (value of B) is never closed' },
    ]);
    expect(parseDotenv('=x\nÉTÉ_𝒜=1\n')).toEqual({
      values: { 'ÉTÉ_𝒜': '1' },
      errors: [],
      warnings: [{ line: 1, col: 1, message: 'no variable name before "=": ignored' }],
    });
    expect(parseDotenv('X=${R\n').errors).toEqual([
      { key: 'X', line: 1, col: 1, message: 'unterminated "${" in "${R": write "$$" for a literal "$"' },
    ]);
    expect(dotenvIssues('/p/.env', [...result.errors, { line: 4, col: 2, message: 'bad' }])).toEqual([
      { file: '/p/.env', path: 'B', message: 'required variable R is missing a value: need R' },
      { file: '/p/.env', path: '', line: 4, col: 2, message: 'bad' },
    ]);
  });
});

describe('parseRawEnv (env_file format: raw)', () => {
  test('takes KEY=value verbatim, skips blank and # lines, reads a bare KEY from the lookup', () => {
    const text = 'R=${A}-$$x\r\nQ="quoted"\n  # comment\n\n  S=  spaced  \nT=a # not a comment\nB\nUNSET\n';
    expect(parseRawEnv(text, (name) => (name === 'B' ? 'from-env' : undefined))).toEqual({
      values: { R: '${A}-$$x', Q: '"quoted"', S: '  spaced  ', T: 'a # not a comment', B: 'from-env' },
      errors: [],
      warnings: [],
    });
  });

  test('a key with whitespace is an error at its line', () => {
    expect(parseRawEnv('OK=1\nK2 =v\nexport E=1\n').errors).toEqual([
      { line: 2, col: 1, message: 'variable "K2 " contains whitespace' },
      { line: 3, col: 1, message: 'variable "export E" contains whitespace' },
    ]);
  });
});

describe('importCompose .env and env_file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bootwave-dotenv-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };
  const envOf = (result: ReturnType<typeof importCompose>, name: string) => {
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return (result.plan.services.find((s) => s.name === name) as ServiceSpec & { target: DockerTarget }).target.env;
  };

  test('a raw env_file is taken verbatim; a bad format or an unknown key of an env_file entry is an error', () => {
    write('.env', 'A=1\n');
    write('raw.env', 'R=${A}-$$x\n');
    const raw = importCompose(
      write(
        'compose.yaml',
        'services:\n  app:\n    image: busybox:1\n    env_file: [{ path: raw.env, format: raw }]\n',
      ),
      { env: {} },
    );
    expect(envOf(raw, 'app')).toEqual({ R: '${A}-$$x' });
    const bad = importCompose(
      write(
        'compose.yaml',
        'services:\n  app:\n    image: busybox:1\n    env_file: [{ path: raw.env, format: csv, bogus: 1 }]\n',
      ),
      { env: {} },
    );
    expect(!bad.ok && bad.errors.map((e) => `${e.path}: ${e.message}`)).toEqual([
      'services.app.env_file[0].bogus: unknown key (expected path, required, format)',
      'services.app.env_file[0].format: must be raw (or left out), got "csv"',
    ]);
  });

  test("the tester's case: variables in .env and env_file values are substituted", () => {
    write('.env', 'A=1\nB=${A}-x\nC="${A}-dq"\nD=\'${A}-sq\'\nE=${UNSET_Z:-dflt}\n');
    write('app.env', 'X=${A}-x\nY="$A and ${HOME_TEST}"\nZ=${NOPE:-zz}\n');
    const file = write(
      'compose.yaml',
      'services:\n  app:\n    image: busybox:1\n    env_file: app.env\n    environment: { B: $B, C: $C, D: $D, E: $E }\n',
    );
    const result = importCompose(file, { env: {} });
    expect(envOf(result, 'app')).toEqual({
      B: '1-x',
      C: '1-dq',
      D: '${A}-sq',
      E: 'dflt',
      X: '1-x',
      Y: '1 and ',
      Z: 'zz',
    });
    expect(result.warnings).toEqual([
      {
        file: join(dir, 'app.env'),
        path: 'Y',
        message: 'variable HOME_TEST is not set; substituting an empty string (as Compose does)',
      },
    ]);
  });

  test('env_file values look up the environment over .env, then their own earlier lines', () => {
    write('.env', 'A=1\nB=${A}-x\n');
    write('app.env', 'T=${A}\nU=${B}\nA=own\nV=${A}\nW=local\nX=${W}\nPE\n');
    const file = write('compose.yaml', 'services:\n  app: { image: busybox:1, env_file: [app.env] }\n');
    expect(envOf(importCompose(file, { env: { A: '9', PE: 'p' } }), 'app')).toEqual({
      T: '9',
      U: '9-x',
      A: 'own',
      V: '9',
      W: 'local',
      X: 'local',
      PE: 'p',
    });
  });

  test('errors in .env and env_file name the file and the variable or line; the import is refused', () => {
    write('.env', 'A=1\nB=${R:?set R}\n');
    const file = write('compose.yaml', 'services:\n  app: { image: busybox:1, env_file: [app.env] }\n');
    write('app.env', 'X=${Q?}\nY="open\n');
    const dotenv = importCompose(file, { env: {} });
    expect(dotenv.ok).toBe(false);
    if (!dotenv.ok)
      expect(dotenv.errors).toEqual([
        { file: join(dir, '.env'), path: 'B', message: 'required variable R is missing a value: set R' },
      ]);
    write('.env', 'A=1\n');
    const envFile = importCompose(file, { env: {} });
    expect(envFile.ok).toBe(false);
    if (!envFile.ok)
      expect(envFile.errors).toEqual([
        { file: join(dir, 'app.env'), path: 'X', message: 'required variable Q is missing a value' },
        {
          file: join(dir, 'app.env'),
          path: '',
          line: 2,
          col: 3,
          message: 'unterminated quoted value: the " opened here (value of Y) is never closed',
        },
      ]);
  });

  test("an included project's .env is read under the including project's variables, which win", () => {
    mkdirSync(join(dir, 'db'));
    write('.env', 'SHARED=main\nMAIN_ONLY=m\n');
    write('db/.env', 'SHARED=db\nDB_ONLY=${MAIN_ONLY}-d\nDB2=${SHARED}\n');
    write(
      'db/compose.yaml',
      'services:\n  db: { image: busybox:1, environment: { SHARED: $SHARED, DB_ONLY: $DB_ONLY, DB2: $DB2 } }\n',
    );
    const file = write('compose.yaml', 'include: [db/compose.yaml]\nservices:\n  app: { image: busybox:1 }\n');
    expect(envOf(importCompose(file, { env: {} }), 'db')).toEqual({ SHARED: 'main', DB_ONLY: 'm-d', DB2: 'main' });
  });

  test('the dotenv-expansion fixture gives what Docker Compose gives', () => {
    // `docker compose config --format json` in test/fixtures/compose/dotenv-expansion with PATH and HOME only.
    const fixture = resolve(__dirname, '../fixtures/compose/dotenv-expansion');
    cpSync(fixture, dir, { recursive: true });
    const result = importCompose(join(dir, 'compose.yaml'), { env: { PATH: '/usr/bin:/bin', HOME: '/home/test' } });
    expect(envOf(result, 'app')).toEqual({
      A: '1',
      ALT: 'alt-value',
      ALT_EMPTY: '',
      ALT_SET: 'set-but-empty',
      ALT_UNSET: '',
      B: '1-x',
      C: '1-dq',
      D: '${A}-sq',
      DOLLAR: 'x $5',
      E: 'dflt',
      F: 'alt-when-set',
      FROM_HOME: '/home/test',
      G: 'line1\nline2 $A',
      H: '$literal',
      NESTED: 'deep',
      NESTED_FILE: 'deep',
      NESTED_SET: '1',
      Q: 'yaml-style',
      REQUIRED: '1',
      REQUIRED_DEFINED: '',
      S: '${A} stays',
      V: '1-x',
      W: '1-x-again',
      X: '1-x',
      Y: '1 and ',
      Z: 'zz',
    });
    expect(envOf(result, 'worker')).toEqual({
      R: '${A}-$$x',
      Q: '"quoted"',
      S: '  spaced  ',
      T: 'a # not a comment',
      GREETING: '1-x and 1-dq',
      LITERAL: '${A}',
    });
  });
});
