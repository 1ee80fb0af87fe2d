import { loadPlanText } from '../../src/plan/load-plan-text';
import { formatIssue } from '../../src/plan/plan-issue';

/** Every validation error of a plan text, as `bootwave validate` prints it. */
function errorsOf(text: string, file = 'plan.yaml', env: Record<string, string> = {}): string[] {
  const result = loadPlanText(text, { file, env });
  return result.ok ? [] : result.errors.map(formatIssue);
}

const proc = 'process: { command: [node, svc.js] }';
const tcp = (port: string) => `health: { check: { kind: tcp, host: 127.0.0.1, port: ${port} } }`;

const cases: Array<[string, string, string[]]> = [
  [
    'a port as a string out of range',
    `name: p\nservices:\n  a: { ${proc}, ${tcp('"99999"')} }\n`,
    ['plan.yaml: services.a.health.check.port: must be a port number from 1 to 65535, got "99999"'],
  ],
  [
    'a port as a number out of range',
    `name: p\nservices:\n  a: { ${proc}, ${tcp('0')} }\n`,
    ['plan.yaml: services.a.health.check.port: must be a port number from 1 to 65535, got 0'],
  ],
  [
    'a port that is not a number',
    `name: p\nservices:\n  a: { ${proc}, ${tcp('"80a"')} }\n`,
    ['plan.yaml: services.a.health.check.port: must be a port number from 1 to 65535, got "80a"'],
  ],
  [
    'a Docker host port out of range',
    'name: p\nservices:\n  a: { docker: { image: x, ports: ["70000:80"] } }\n',
    ['plan.yaml: services.a.docker.ports[0]: host port must be from 1 to 65535, got 70000 in "70000:80"'],
  ],
  [
    'a Docker container port of 0',
    'name: p\nservices:\n  a: { docker: { image: x, ports: ["18081:0"] } }\n',
    ['plan.yaml: services.a.docker.ports[0]: container port must be from 1 to 65535, got 0 in "18081:0"'],
  ],
  [
    'a host IP out of range',
    'name: p\nservices:\n  a: { docker: { image: x, ports: ["300.0.0.1:18081:80"] } }\n',
    ['plan.yaml: services.a.docker.ports[0]: invalid host IP 300.0.0.1 in "300.0.0.1:18081:80"'],
  ],
  [
    'a zero interval',
    `name: p\nservices:\n  a: { ${proc}, health: { check: { kind: tcp, host: h, port: 1 }, interval: 0s } }\n`,
    ['plan.yaml: services.a.health.interval: must be longer than 0, got "0s"'],
  ],
  [
    'a zero timeout',
    `name: p\nservices:\n  a: { ${proc}, health: { check: { kind: tcp, host: h, port: 1 }, timeout: 0 } }\n`,
    ['plan.yaml: services.a.health.timeout: must be longer than 0, got 0'],
  ],
  [
    'a zero start timeout',
    `name: p\nservices:\n  a: { ${proc}, startTimeout: 0s }\n`,
    ['plan.yaml: services.a.startTimeout: must be longer than 0, got "0s"'],
  ],
  [
    'an infinite retry count',
    `name: p\nservices:\n  a: { ${proc}, health: { check: { kind: tcp, host: h, port: 1 }, retries: .inf } }\n`,
    ['plan.yaml: services.a.health.retries: must be a finite number, got Infinity'],
  ],
  [
    'retries as a string out of range',
    `name: p\nservices:\n  a: { ${proc}, health: { check: { kind: tcp, host: h, port: 1 }, retries: "0" } }\n`,
    ['plan.yaml: services.a.health.retries: must be an integer from 1 to 1000000, got "0"'],
  ],
  [
    'an infinite duration',
    `name: p\nservices:\n  a: { ${proc}, startTimeout: .inf }\n`,
    ['plan.yaml: services.a.startTimeout: must be a finite number, got Infinity'],
  ],
  [
    'a duration over a year',
    `name: p\nservices:\n  a: { ${proc}, startTimeout: 9000h }\n`,
    ['plan.yaml: services.a.startTimeout: must be at most 365 days, got "9000h"'],
  ],
  [
    'an invalid bodyMatch',
    `name: p\nservices:\n  a: { ${proc}, health: { check: { kind: http, url: "http://127.0.0.1:18999/", bodyMatch: "(" } } }\n`,
    ['plan.yaml: services.a.health.check.bodyMatch: invalid regular expression "(": unterminated group'],
  ],
  [
    'a huge wave index',
    `name: p\nservices:\n  a: { ${proc}, wave: 100000 }\n`,
    ['plan.yaml: services.a.wave: must be at most 999, got 100000'],
  ],
  [
    'an infinite expected status',
    `name: p\nservices:\n  a: { ${proc}, health: { check: { kind: http, url: "http://127.0.0.1:18999/", expectStatus: [.inf] } } }\n`,
    ['plan.yaml: services.a.health.check.expectStatus[0]: must be a finite number, got Infinity'],
  ],
  [
    'several YAML documents',
    `name: p\nservices:\n  a: { ${proc} }\n---\nname: q\n`,
    ['plan.yaml:4:1: a second YAML document starts here: the file must hold exactly one (remove the "---" line)'],
  ],
  [
    'a YAML tag',
    `name: !!binary p\nservices:\n  a: { ${proc}, startTimeout: !secret 10s }\n`,
    ['plan.yaml:1:16: YAML tag !!binary is not supported: write the plain value'],
  ],
  [
    'deep nesting',
    `name: p\nservices:\n  a: ${'['.repeat(5000)}${']'.repeat(5000)}\n`,
    ['plan.yaml:3:70: nested too deeply (more than 64 levels)'],
  ],
];

describe('range checks and reading', () => {
  test.each(cases)('%s', (_name, text, expected) => {
    expect(errorsOf(text)).toEqual(expected);
  });
});

describe('values written as numeric strings', () => {
  test('are accepted after substitution and range-checked', () => {
    const text = `name: p\nservices:\n  a: { ${proc}, health: { check: { kind: tcp, host: h, port: "\${PORT}" }, retries: "\${RETRIES}" } }\n`;
    const ok = loadPlanText(text, { file: 'plan.yaml', env: { PORT: '18001', RETRIES: '10' } });
    expect(ok.ok && ok.plan.services[0]!.health).toMatchObject({
      probe: { kind: 'tcp', port: 18001 },
      timing: { retries: 10 },
    });
    expect(errorsOf(text, 'plan.yaml', { PORT: '99999', RETRIES: '-1' })).toEqual([
      'plan.yaml: services.a.health.check.port: must be a port number from 1 to 65535, got "99999"',
      'plan.yaml: services.a.health.retries: must be an integer from 1 to 1000000, got "-1"',
    ]);
  });
});

describe('JSON plans', () => {
  test('are parsed as JSON: a trailing comma is an error with its position', () => {
    expect(errorsOf('{\n  "name": "p",\n  "services": {},\n}\n', 'plan.json')).toEqual([
      'plan.json:4:1: invalid JSON: trailing comma (JSON allows none before "}" or "]")',
    ]);
    expect(errorsOf('{"name": "p", "services": {"a": {"process": {"command": ["x"]}}}', 'plan.json')).toEqual([
      'plan.json:1:65: invalid JSON: the text ends before the JSON value does',
    ]);
  });

  test('valid JSON loads', () => {
    expect(errorsOf('{"name": "p", "services": {"a": {"process": {"command": ["x"]}}}}', 'plan.json')).toEqual([]);
  });
});

describe('every error at once', () => {
  test('a schema error in a service hides none of the reference errors', () => {
    const text = [
      'name: p',
      'waves: [{ name: data }]',
      'services:',
      `  a: { ${proc}, helth: {}, wave: dta, dependsOn: [b, ghost], health: { check: { kind: tcp, host: h, port: 1 }, timeout: 0, preChecks: [{ service: nobody, check: { kind: tcp, host: h, port: 2 } }] } }`,
      `  b: { ${proc}, startTimeout: soon, expectedStart: 0.5, dependsOn: [a] }`,
      '',
    ].join('\n');
    expect(errorsOf(text)).toEqual([
      'plan.yaml: services.a.health.timeout: must be longer than 0, got 0',
      'plan.yaml: services.a.helth: unknown field (did you mean "health"?)',
      'plan.yaml: services.b.startTimeout: invalid duration "soon": expected e.g. 250ms, 10s, 2m, 1m30s or milliseconds as a number',
      'plan.yaml: services.b.expectedStart: invalid duration 0.5: a number is whole milliseconds, 0 or more (or write 500ms, 1s, 2m)',
      'plan.yaml: services.a.dependsOn[1]: unknown service "ghost"',
      'plan.yaml: services.a.health.preChecks[0].service: unknown service "nobody"',
      'plan.yaml: services.a.wave: unknown wave "dta" (did you mean "data"?)',
      'plan.yaml: services.a.dependsOn: dependency cycle: a → b → a',
    ]);
  });

  test('a top-level schema error hides no wave reference error', () => {
    expect(errorsOf(`name: P\nwaves: [{ name: one }]\nservices:\n  a: { ${proc}, wave: two }\n`)).toEqual([
      'plan.yaml: name: "P" must be lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters',
      'plan.yaml: services.a.wave: unknown wave "two"',
    ]);
  });
});
