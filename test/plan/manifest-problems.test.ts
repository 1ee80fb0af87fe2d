import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPlan } from '../../src/plan/load-plan';
import { loadPlanDocument } from '../../src/plan/load-plan-document';
import { manifestDocuments } from '../../src/plan/manifest-documents';
import { formatIssue } from '../../src/plan/plan-issue';

describe('manifest problems', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'bootwave-manifests-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function errorsOf(plan: string): string[] {
    const file = join(dir, 'plan.yaml');
    writeFileSync(file, plan);
    const result = loadPlan(file, { env: {} });
    return result.ok ? [] : result.errors.map(formatIssue).map((line) => line.split(dir).join('<dir>'));
  }

  test("a manifest file's YAML error says what and where, in bootwave's words", () => {
    mkdirSync(join(dir, 'm'));
    writeFileSync(
      join(dir, 'm', 'bad.yaml'),
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\nspec:\n  a: b\n c: d\n',
    );
    writeFileSync(join(dir, 'm', 'alias.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: { name: *n }\n');
    expect(errorsOf('name: p\nservices:\n  k: { kubernetes: { manifests: [m] } }\n')).toEqual(
      [
        'plan.yaml: services.k.kubernetes.manifests[0]: <dir>/m/alias.yaml (document 1): invalid YAML: unknown alias *n: an alias (*name) must name an anchor (&name) defined before it (line 3, column 19)',
        'plan.yaml: services.k.kubernetes.manifests[0]: <dir>/m/bad.yaml (document 1): invalid YAML: bad indentation: all mapping items must start at the same column (line 7, column 1)',
      ].map((line) => `<dir>/${line}`),
    );
  });

  test("a bad namespace hides none of the manifest files' problems", () => {
    writeFileSync(join(dir, 'a.yaml'), 'kind: Pod\nmetadata: {}\n---\n[1, 2\n');
    expect(
      errorsOf('name: p\nservices:\n  k: { kubernetes: { namespace: Bad_NS, manifests: [a.yaml, gone.yaml] } }\n'),
    ).toEqual([
      '<dir>/plan.yaml: services.k.kubernetes.namespace: "Bad_NS" must be lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters',
      '<dir>/plan.yaml: services.k.kubernetes.manifests[0]: <dir>/a.yaml (document 1): missing apiVersion, metadata.name',
      '<dir>/plan.yaml: services.k.kubernetes.manifests[0]: <dir>/a.yaml (document 2): invalid YAML: flow sequence must end with a ] (line 5, column 1)',
      '<dir>/plan.yaml: services.k.kubernetes.manifests[1]: manifest not found: <dir>/gone.yaml',
    ]);
  });
});

describe('manifestDocuments', () => {
  test('no message of the YAML library leaks: no excerpt, no trailing colon, a position on every syntax error', () => {
    const texts = ['a: [1\n', 'a: b\n  c: d\n', 'a:\n\t- b\n', 'a: 1\na: 2\n', 'x: "\\q"\n', '- a\nb: c\n', 'a: *x\n'];
    for (const text of texts) {
      const { problems } = manifestDocuments(text, 'm.yaml');
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^m\.yaml \(document 1\): invalid YAML: [^\n]*[^:\n] \(line \d+, column \d+\)$/);
    }
  });

  test('an alias bomb or a bad merge source is a problem, not an exception', () => {
    const bomb = `a: &a [x, x]\n${Array.from({ length: 12 }, (_, i) => `b${i}: &b${i} [${i === 0 ? '*a' : `*b${i - 1}`}, ${i === 0 ? '*a' : `*b${i - 1}`}]`).join('\n')}\n`;
    expect(manifestDocuments(bomb, 'm.yaml').problems).toEqual([
      'm.yaml (document 1): invalid YAML: aliases expand to too many values',
    ]);
    expect(manifestDocuments('%YAML 1.1\n---\na: &a 1\nb: { <<: *a }\n', 'm.yaml').problems).toEqual([
      'm.yaml (document 1): invalid YAML: a merge key (<<) takes a mapping, an alias of one (*name) or a list of them',
    ]);
  });
});

describe('loadPlanDocument', () => {
  test('issues carry escaped paths and messages, as programs read them', () => {
    const result = loadPlanDocument(
      { name: 'p', services: { 'a\u0000': { process: { command: ['x'] }, 'b\u0007': 1 } } },
      { file: 'plan.yaml', env: {} },
    );
    expect(result.ok ? [] : result.errors.map(({ path, message }) => ({ path, message }))).toEqual([
      {
        path: 'services.a\\u0000',
        message: expect.stringMatching(/^invalid service name "a\\u0000": /),
      },
      { path: 'services.a\\u0000.b\\u0007', message: 'unknown field' },
    ]);
  });
});
