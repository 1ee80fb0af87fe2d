import { loadPlanText } from '../../src/plan/load-plan-text';
import { formatIssue } from '../../src/plan/plan-issue';

/** Every validation error, as `bootwave validate` prints it. Plans are YAML text, as users write them. */
function errorsOf(yaml: string, profiles?: string[]): string[] {
  const result = loadPlanText(yaml, { file: 'plan.yaml', env: { PORT: '18001' }, ...(profiles ? { profiles } : {}) });
  return result.ok ? [] : result.errors.map(formatIssue);
}

const proc = 'process: { command: [node, svc.js] }';

const cases: Array<[string, string, string[]]> = [
  [
    'unknown field on a service',
    `name: p\nservices:\n  a: { ${proc}, helth: {} }\n`,
    ['plan.yaml: services.a.helth: unknown field (did you mean "health"?)'],
  ],
  [
    'unknown fields deeper down suggest the field of that object',
    `name: p\ndefaults: { stopgrace: 1s }\nservices:\n  a: { ${proc}, health: { startperiod: 1s, check: { kind: http, uri: "http://x" } } }\n`,
    [
      'plan.yaml: defaults.stopgrace: unknown field (did you mean "stopGrace"?)',
      'plan.yaml: services.a.health.check.url: required',
      'plan.yaml: services.a.health.check.uri: unknown field (did you mean "url"?)',
      'plan.yaml: services.a.health.startperiod: unknown field (did you mean "startPeriod"?)',
    ],
  ],
  [
    'unknown top-level field',
    `name: p\nservice: {}\nservices:\n  a: { ${proc} }\n`,
    ['plan.yaml: service: unknown field (did you mean "services"?)'],
  ],
  [
    'bad duration and bad size',
    `name: p\nservices:\n  a: { ${proc}, startTimeout: 10 sec, resources: { memory: 12 parsecs } }\n`,
    [
      'plan.yaml: services.a.resources.memory: invalid size "12 parsecs": expected e.g. 512MiB, 1GiB, 1.5GB, 256MB or bytes as a number',
      'plan.yaml: services.a.startTimeout: invalid duration "10 sec": expected e.g. 250ms, 10s, 2m, 1m30s or milliseconds as a number',
    ],
  ],
  [
    'duplicate wave names',
    `name: p\nwaves: [{ name: data }, { name: data }]\nservices:\n  a: { ${proc}, wave: data }\n`,
    ['plan.yaml: waves[1].name: duplicate wave name "data" (also waves[0])'],
  ],
  [
    'unknown dependency with a suggestion',
    `name: p\nservices:\n  postgres: { ${proc} }\n  api: { ${proc}, dependsOn: [postgress] }\n`,
    ['plan.yaml: services.api.dependsOn[0]: unknown service "postgress" (did you mean "postgres"?)'],
  ],
  [
    'unknown dependency without a close name',
    `name: p\nservices:\n  postgres: { ${proc} }\n  api: { ${proc}, dependsOn: [postgres, { service: kafka }] }\n`,
    ['plan.yaml: services.api.dependsOn[1]: unknown service "kafka"'],
  ],
  [
    'dependency cycle',
    `name: p\nservices:\n  a: { ${proc}, dependsOn: [c] }\n  b: { ${proc}, dependsOn: [a] }\n  c: { ${proc}, dependsOn: [b] }\n`,
    ['plan.yaml: services.a.dependsOn: dependency cycle: a → c → b → a'],
  ],
  [
    'self dependency',
    `name: p\nservices:\n  a: { ${proc}, dependsOn: [a] }\n`,
    ['plan.yaml: services.a.dependsOn: dependency cycle: a → a'],
  ],
  [
    'dependency on a later wave',
    `name: p\nwaves: [{ name: first }, { name: second }]\nservices:\n  db: { ${proc}, wave: second }\n  api: { ${proc}, wave: first, dependsOn: [db] }\n`,
    [
      'plan.yaml: services.api.dependsOn[0]: depends on "db" in wave "second", which boots after this service\'s wave "first"',
    ],
  ],
  [
    'wave over its memory budget',
    `name: p\nwaves: [{ name: data, memoryBudget: 1GiB }]\nservices:\n  db: { ${proc}, wave: data, resources: { memory: 1GiB } }\n  cache: { ${proc}, wave: data, resources: { memory: 512MiB } }\n`,
    [
      'plan.yaml: waves[0].memoryBudget: wave "data" needs 1.5 GiB (db 1 GiB, cache 512 MiB), over its memory budget of 1 GiB',
    ],
  ],
  [
    'one-shot with condition healthy',
    `name: p\nservices:\n  migrate: { ${proc}, oneShot: true }\n  api: { ${proc}, dependsOn: [{ service: migrate, condition: healthy }] }\n`,
    ['plan.yaml: services.api.dependsOn[0]: "migrate" is a one-shot: use condition "completed" instead of "healthy"'],
  ],
  [
    'completed on a service that is not a one-shot',
    `name: p\nservices:\n  db: { ${proc} }\n  api: { ${proc}, dependsOn: [{ service: db, condition: completed }] }\n`,
    [
      'plan.yaml: services.api.dependsOn[0]: condition "completed" needs a one-shot service, but "db" is not (set oneShot: true on it, or use "healthy")',
    ],
  ],
  ['empty plan', 'name: p\nservices: {}\n', ['plan.yaml: services: the plan has no services']],
  ['missing services', 'name: p\n', ['plan.yaml: services: required']],
  ['not a mapping', '- a\n- b\n', ['plan.yaml: a plan must be a mapping with at least "name" and "services"']],
  [
    'unknown wave with a suggestion',
    `name: p\nwaves: [{ name: storage }]\nservices:\n  a: { ${proc}, wave: storag }\n`,
    ['plan.yaml: services.a.wave: unknown wave "storag" (did you mean "storage"?)'],
  ],
  [
    'wave index out of range',
    `name: p\nwaves: [{ name: one }]\nservices:\n  a: { ${proc}, wave: 3 }\n`,
    ['plan.yaml: services.a.wave: unknown wave 3: the plan declares waves 0-0'],
  ],
  [
    'pre-check naming an unknown service',
    `name: p\nservices:\n  a: { ${proc}, health: { check: { kind: tcp, host: 127.0.0.1, port: 18001 }, preChecks: [{ service: b, check: { kind: tcp, host: 127.0.0.1, port: 18002 } }] } }\n`,
    ['plan.yaml: services.a.health.preChecks[0].service: unknown service "b"'],
  ],
  [
    'staged check without stages',
    `name: p\nservices:\n  a: { ${proc}, health: { check: { kind: staged, stages: [] } } }\n`,
    ['plan.yaml: services.a.health.check.stages: staged check needs at least one stage'],
  ],
  [
    'unknown check kind',
    `name: p\nservices:\n  a: { ${proc}, health: { check: { kind: htp, url: "http://x" } } }\n`,
    [
      'plan.yaml: services.a.health.check.kind: unknown kind "htp": expected one of http, tcp, exec, prometheus, composite, staged',
    ],
  ],
  [
    'no target',
    'name: p\nservices:\n  a: { critical: true }\n',
    ['plan.yaml: services.a: needs a target: one of process, docker or kubernetes'],
  ],
  [
    'two targets',
    `name: p\nservices:\n  a: { ${proc}, docker: { image: x } }\n`,
    ['plan.yaml: services.a: has process and docker: choose exactly one target'],
  ],
  [
    'bad names',
    `name: My Plan\nservices:\n  Api: { ${proc} }\n`,
    [
      'plan.yaml: name: "My Plan" must be lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters',
      'plan.yaml: services.Api: invalid service name "Api": must be lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters',
    ],
  ],
  ['services as a list', 'name: p\nservices: [a, b]\n', ['plan.yaml: services: expected a mapping, got a list']],
  [
    'a dependency of the wrong type',
    `name: p\nservices:\n  a: { ${proc}, dependsOn: [5] }\n`,
    ['plan.yaml: services.a.dependsOn[0]: expected string or a mapping, got number 5'],
  ],
  [
    'two containers publishing one host port',
    'name: p\nservices:\n  a: { docker: { image: x, ports: ["18080:80"] } }\n  b: { docker: { image: y, ports: ["127.0.0.1:18080:8080"] } }\n',
    ['plan.yaml: services.b.docker.ports[0]: host port 127.0.0.1:18080/tcp is already published by "a"'],
  ],
  [
    'wrong type',
    `name: p\nservices:\n  a: { ${proc}, critical: "yes" }\n`,
    ['plan.yaml: services.a.critical: expected boolean, got string "yes"'],
  ],
  [
    'bad enum',
    `name: p\nservices:\n  b: { ${proc} }\n  a: { ${proc}, dependsOn: [{ service: b, kind: needs }] }\n`,
    ['plan.yaml: services.a.dependsOn[0].kind: must be one of "requires", "wants", got "needs"'],
  ],
  [
    'empty command',
    'name: p\nservices:\n  a: { process: { command: [] } }\n',
    ['plan.yaml: services.a.process.command: must have at least one element (the executable)'],
  ],
  [
    'bad port mapping',
    'name: p\nservices:\n  a: { docker: { image: x, ports: ["80"] } }\n',
    ['plan.yaml: services.a.docker.ports[0]: "80" must be [hostIp:]hostPort:containerPort[/tcp|udp]'],
  ],
  [
    'kubernetes without manifests',
    'name: p\nservices:\n  a: { kubernetes: { namespace: x } }\n',
    ['plan.yaml: services.a.kubernetes: needs manifests or inline documents'],
  ],
  [
    'duplicate dependency',
    `name: p\nservices:\n  b: { ${proc} }\n  a: { ${proc}, dependsOn: [b, b] }\n`,
    ['plan.yaml: services.a.dependsOn[1]: duplicate dependency on "b"'],
  ],
  [
    'missing environment variable',
    `name: p\nservices:\n  a: { process: { command: [node, svc.js, "\${MISSING_PORT}"] } }\n`,
    [
      'plan.yaml: services.a.process.command[2]: environment variable MISSING_PORT is not set (write ${MISSING_PORT:-default} to give a default)',
    ],
  ],
  [
    'requiring a service of a deselected profile',
    `name: p\nservices:\n  ui: { ${proc}, profiles: [dev] }\n  api: { ${proc}, dependsOn: [ui] }\n`,
    [
      'plan.yaml: services.api.dependsOn[0]: requires "ui", which is not selected: it runs only with profile dev (add --profile)',
    ],
  ],
  [
    'only profiled services, none selected',
    `name: p\nservices:\n  ui: { ${proc}, profiles: [dev] }\n`,
    ['plan.yaml: services: no services selected: every service is in a profile; select one with --profile (dev)'],
  ],
];

describe('validation errors', () => {
  test.each(cases)('%s', (_name, yaml, expected) => {
    expect(errorsOf(yaml)).toEqual(expected);
  });

  test('reports schema and reference errors of one plan together', () => {
    const yaml = `name: p\nwaves: [{ name: w, memoryBudget: lots }]\nservices:\n  a: { ${proc}, dependsOn: [bb] }\n  b: { ${proc}, interval: 1s, startTimeout: soon }\n`;
    expect(errorsOf(yaml)).toEqual([
      'plan.yaml: waves[0].memoryBudget: invalid size "lots": expected e.g. 512MiB, 1GiB, 1.5GB, 256MB or bytes as a number',
      'plan.yaml: services.b.startTimeout: invalid duration "soon": expected e.g. 250ms, 10s, 2m, 1m30s or milliseconds as a number',
      'plan.yaml: services.b.interval: unknown field',
      'plan.yaml: services.a.dependsOn[0]: unknown service "bb" (did you mean "b"?)',
    ]);
  });

  test('YAML syntax errors carry line and column', () => {
    expect(errorsOf('name: p\nservices:\n  a: { process: [\n')).toEqual([
      'plan.yaml:4:1: bad indentation: flow sequence in block collection must be sufficiently indented and end with a ]',
      'plan.yaml:4:1: bad indentation: flow map in block collection must be sufficiently indented and end with a }',
    ]);
    expect(errorsOf('name: p\n  bad: indent\nservices: {}\n')).toEqual([
      'plan.yaml:1:7: invalid YAML: nested mappings are not allowed in compact mappings',
      'plan.yaml:1:7: invalid YAML: implicit keys need to be on a single line',
    ]);
  });

  test('duplicate keys in JSON are errors too', () => {
    expect(errorsOf('{"name": "p", "name": "q", "services": {}}')).toEqual([
      'plan.yaml:1:15: duplicate key "name": each key may appear once in a mapping',
    ]);
  });

  test('duplicate keys are syntax errors with their position', () => {
    expect(errorsOf(`name: p\nservices:\n  a: { ${proc} }\n  a: { ${proc} }\n`)).toEqual([
      'plan.yaml:4:3: duplicate key "a": each key may appear once in a mapping',
    ]);
  });
});
