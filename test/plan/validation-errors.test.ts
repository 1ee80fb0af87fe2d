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
    'a wildcard address takes the port on every address of its family',
    'name: p\nservices:\n  a: { docker: { image: x, ports: ["18080:80", "[::1]:18081:80"] } }\n  b: { docker: { image: y, ports: ["0.0.0.0:18080:80", "0.0.0.0:18081:80", "[::]:18081:80"] } }\n',
    [
      'plan.yaml: services.b.docker.ports[0]: host port 0.0.0.0:18080/tcp is already published by "a" (as 127.0.0.1:18080/tcp)',
      'plan.yaml: services.b.docker.ports[2]: host port [::]:18081/tcp is already published by "a" (as [::1]:18081/tcp)',
    ],
  ],
  [
    "an extra name that is another service's name on a network both join; one several services share is allowed",
    'name: p\nservices:\n  db: { docker: { image: x, aliases: [cache] } }\n  cache: { docker: { image: y } }\n  api: { docker: { image: z, networks: [front], networkAliases: { front: [workers] } } }\n  web: { docker: { image: z, networks: [front, back], networkAliases: { front: [workers], back: [db] } } }\n',
    [
      'plan.yaml: services.db.docker.aliases[0]: "cache" is the name of service "cache" on a network both join: other containers there would reach either of them by it',
    ],
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
    'a missing variable where a number belongs: said once, not again as an empty value',
    `name: p\nservices:\n  a: { process: { command: [x] }, health: { check: { kind: tcp, host: 127.0.0.1, port: "\${NO_PORT}" } } }\n`,
    [
      'plan.yaml: services.a.health.check.port: environment variable NO_PORT is not set (write ${NO_PORT:-default} to give a default)',
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
    'network aliases on a network the container does not join',
    `name: p\nservices:\n  a: { docker: { image: x, networks: [front], networkAliases: { back: [b], frnt: [e] } } }\n  c: { docker: { image: x, networkAliases: { default: [d] } } }\n`,
    [
      'plan.yaml: services.a.docker.networkAliases.back: "back" is not one of this container\'s networks (front)',
      'plan.yaml: services.a.docker.networkAliases.frnt: "frnt" is not one of this container\'s networks (front) (did you mean "front"?)',
      'plan.yaml: services.c.docker.networkAliases.default: the container joins no network of its own (docker.networks is empty): give these names in docker.aliases',
    ],
  ],
  [
    'a network mode with what only a network of its own gives',
    `name: p\nservices:\n  vpn: { docker: { image: x } }\n  a: { docker: { image: x, networkMode: host, networks: [front], aliases: [b], ports: ["80:80"] } }\n  c: { docker: { image: x, networkMode: "container:other", hostname: c, ports: ["81:81"] } }\n  d: { docker: { image: x, networkMode: none, ports: ["82:82"] } }\n  e: { docker: { image: x, networkMode: bridge, ports: ["83:83"] } }\n`,
    [
      'plan.yaml: services.a.docker.networks: cannot be combined with networkMode "host": the container joins no network',
      'plan.yaml: services.a.docker.aliases: cannot be combined with networkMode "host": the container has no name on a network',
      'plan.yaml: services.a.docker.ports: not published in networkMode "host": the container listens on the host\'s own ports (remove them)',
      'plan.yaml: services.c.docker.ports: cannot be published in networkMode "container:other": publish them from the container whose network it shares',
      'plan.yaml: services.c.docker.hostname: cannot be combined with networkMode "container:other": it belongs to the shared network',
      'plan.yaml: services.d.docker.ports: not published in networkMode "none": the container has no network (remove them)',
    ],
  ],
  [
    'sharing the network of a service that is unknown, not a container, itself, or not a dependency',
    `name: p\nservices:\n  vpn: { docker: { image: x } }\n  job: { ${proc} }\n  a: { docker: { image: x, networkMode: "service:vpm" } }\n  b: { docker: { image: x, networkMode: "service:job" }, dependsOn: [job] }\n  c: { docker: { image: x, networkMode: "service:c" } }\n  d: { docker: { image: x, networkMode: "service:vpn" } }\n  e: { docker: { image: x, networkMode: "vpn" } }\n`,
    [
      'plan.yaml: services.e.docker.networkMode: "vpn" must be host, none, bridge, service:<name> or container:<name>',
      'plan.yaml: services.a.docker.networkMode: unknown service "vpm" (did you mean "vpn"?)',
      'plan.yaml: services.b.docker.networkMode: service "job" is not a container',
      'plan.yaml: services.c.docker.networkMode: a container cannot share its own network',
      'plan.yaml: services.d.docker.networkMode: add "vpn" to dependsOn: the container joins vpn\'s network, which must be started first',
    ],
  ],
  [
    'an http or prometheus check on a port fetch refuses could never pass',
    `name: p\nservices:\n  a: { ${proc}, health: { check: { kind: http, url: "http://127.0.0.1:6665/health" } } }\n  b: { ${proc}, health: { check: { kind: prometheus, url: "http://127.0.0.1:10080", query: up, above: 0 } } }\n  c: { ${proc}, health: { check: { kind: http, url: "http://127.0.0.1:18080/" } } }\n`,
    [
      'plan.yaml: services.a.health.check.url: port 6665 is one that fetch refuses (a "bad port" of the Fetch Standard), so this check could never pass: use a tcp check or another port',
      'plan.yaml: services.b.health.check.url: port 10080 is one that fetch refuses (a "bad port" of the Fetch Standard), so this check could never pass: use a tcp check or another port',
    ],
  ],
  [
    'a secret with two sources',
    `name: p\nservices:\n  a: { process: { command: [x], env: { C: { secret: { env: X, file: /etc/hostname } } } } }\n`,
    ['plan.yaml: services.a.process.env.C.secret: names env and file: give only one of them'],
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

/** An error in one part of a plan hides none of the independent checks of the others, and adds no follow-on error. */
describe('every problem at once', () => {
  test('a bad wave entry hides neither the duplicate names of the others nor unknown wave references', () => {
    const yaml = `name: p\nwaves: [{ name: data }, { name: data }, { name: Apps }]\nservices:\n  a: { ${proc}, wave: dta }\n`;
    expect(errorsOf(yaml)).toEqual([
      'plan.yaml: waves[2].name: "Apps" must be lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters',
      'plan.yaml: waves[1].name: duplicate wave name "data" (also waves[0])',
      'plan.yaml: services.a.wave: unknown wave "dta" (did you mean "data"?)',
    ]);
  });

  test('a wave entry failing elsewhere still declares its name; indices count every entry', () => {
    const yaml = `name: p\nwaves: [{ name: data, deadline: soon }, { name: apps }]\nservices:\n  a: { ${proc}, wave: data }\n  b: { ${proc}, wave: 1 }\n  c: { ${proc}, wave: 2 }\n`;
    expect(errorsOf(yaml)).toEqual([
      'plan.yaml: waves[0].deadline: invalid duration "soon": expected e.g. 250ms, 10s, 2m, 1m30s or milliseconds as a number',
      'plan.yaml: services.c.wave: unknown wave 2: the plan declares waves 0-1',
    ]);
  });

  test('no follow-on "unknown wave" for the wave whose own name is reported, or when an entry names none', () => {
    expect(errorsOf(`name: p\nwaves: [{ name: Apps }]\nservices:\n  a: { ${proc}, wave: apps }\n`)).toEqual([
      'plan.yaml: waves[0].name: "Apps" must be lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters',
    ]);
    expect(
      errorsOf(`name: p\nwaves: [{ name: data }, { deadline: 1s }]\nservices:\n  a: { ${proc}, wave: apps }\n`),
    ).toEqual(['plan.yaml: waves[1].name: required']);
  });

  test("a bad namespace hides none of the service's manifest problems", () => {
    const yaml =
      'name: p\nservices:\n  k:\n    kubernetes:\n      namespace: Bad_NS\n      inline:\n' +
      '        - "kind: Pod\\nmetadata: {}\\n"\n        - "a: [\\n"\n        - "just a string"\n';
    expect(errorsOf(yaml)).toEqual([
      'plan.yaml: services.k.kubernetes.namespace: "Bad_NS" must be lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters',
      'plan.yaml: services.k.kubernetes.inline[0]: inline manifest 1 (document 1): missing apiVersion, metadata.name',
      'plan.yaml: services.k.kubernetes.inline[1]: inline manifest 2 (document 1): invalid YAML: bad indentation: flow sequence in block collection must be sufficiently indented and end with a ] (line 2, column 1)',
      'plan.yaml: services.k.kubernetes.inline[2]: inline manifest 3 (document 1): not a Kubernetes object',
    ]);
  });

  test('manifests and inline documents are checked item by item, at their own index', () => {
    const yaml =
      'name: p\nservices:\n  k: { kubernetes: { namespace: x_y, inline: [7, "kind: Pod\\n"], manifests: ["", m.yaml] } }\n';
    const result = loadPlanText(yaml, {
      file: 'plan.yaml',
      env: {},
      manifestProblems: (path) => [`manifest not found: ${path}`],
    });
    expect(result.ok ? [] : result.errors.map(formatIssue)).toEqual([
      'plan.yaml: services.k.kubernetes.manifests[0]: must not be empty',
      'plan.yaml: services.k.kubernetes.inline[0]: expected string, got number 7',
      'plan.yaml: services.k.kubernetes.namespace: "x_y" must be lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters',
      'plan.yaml: services.k.kubernetes.manifests[1]: manifest not found: ./m.yaml',
      'plan.yaml: services.k.kubernetes.inline[1]: inline manifest 2 (document 1): missing apiVersion, metadata.name',
    ]);
  });

  test("an error in a one-shot's target hides no misuse of it as a long-running service", () => {
    const yaml = `name: p\nservices:\n  migrate: { oneShot: true, process: { command: "not a list" } }\n  api: { ${proc}, dependsOn: [{ service: migrate, condition: healthy }] }\n`;
    expect(errorsOf(yaml)).toEqual([
      'plan.yaml: services.migrate.process.command: expected a list, got string "not a list"',
      'plan.yaml: services.api.dependsOn[0]: "migrate" is a one-shot: use condition "completed" instead of "healthy"',
    ]);
    // Not setting oneShot says it is not one: "completed" on it is judged too.
    const notOneShot = `name: p\nservices:\n  db: { process: { command: 5 } }\n  api: { ${proc}, dependsOn: [{ service: db, condition: completed }] }\n`;
    expect(errorsOf(notOneShot)).toEqual([
      'plan.yaml: services.db.process.command: expected a list, got number 5',
      'plan.yaml: services.api.dependsOn[0]: condition "completed" needs a one-shot service, but "db" is not (set oneShot: true on it, or use "healthy")',
    ]);
  });

  test('no follow-on error when the oneShot field itself fails, or the service is not a mapping', () => {
    for (const migrate of ['{ oneShot: "yes", process: { command: [x] } }', '[oneShot]']) {
      const yaml = `name: p\nservices:\n  migrate: ${migrate}\n  api: { ${proc}, dependsOn: [{ service: migrate, condition: healthy }, { service: migrate, condition: completed }] }\n`;
      const errors = errorsOf(yaml);
      expect(errors).toHaveLength(2);
      expect(errors[0]).toMatch(/^plan\.yaml: services\.migrate(\.oneShot)?: expected /);
      expect(errors[1]).toBe('plan.yaml: services.api.dependsOn[1]: duplicate dependency on "migrate"');
    }
  });

  test('the dependencies and pre-checks of an invalid service are reported at their own index', () => {
    const yaml =
      `name: p\nservices:\n  postgres: { ${proc} }\n` +
      `  api: { ${proc}, dependsOn: [{ service: postgres, bogus: 1 }, postgress], health: { check: { kind: nope }, preChecks: [{ service: 1 }, { service: redis, check: { kind: tcp, host: h, port: 1 } }] } }\n`;
    expect(errorsOf(yaml)).toEqual([
      'plan.yaml: services.api.dependsOn[0].bogus: unknown field',
      expect.stringMatching(/^plan\.yaml: services\.api\.health\.check\.kind: /),
      expect.stringMatching(/^plan\.yaml: services\.api\.health\.preChecks\[0\]\.service: /),
      'plan.yaml: services.api.health.preChecks[0].check: required',
      'plan.yaml: services.api.dependsOn[1]: unknown service "postgress" (did you mean "postgres"?)',
      'plan.yaml: services.api.health.preChecks[1].service: unknown service "redis"',
    ]);
  });
});

describe("messages in bootwave's words", () => {
  test('an unknown alias is named, with its own line and column', () => {
    expect(errorsOf('y: 1\nx: &a [*b]\n')).toEqual([
      'plan.yaml:2:8: unknown alias *b: an alias (*name) must name an anchor (&name) defined before it',
    ]);
    expect(errorsOf(`name: p\nservices:\n  a: { ${proc}, dependsOn: *deps }\n`)).toEqual([
      'plan.yaml:3:57: unknown alias *deps: an alias (*name) must name an anchor (&name) defined before it',
    ]);
  });

  test('an alias inside its own anchor is refused with its position, not a stack overflow', () => {
    expect(errorsOf(`name: p\nx: &a [1, *a]\nservices:\n  a: { ${proc} }\n`)).toEqual([
      'plan.yaml:2:11: alias *a is inside its own anchor &a: a value cannot contain itself',
    ]);
  });

  test('a merge key naming no mapping is refused with its position', () => {
    expect(errorsOf(`name: p\nd: &d 1\nservices:\n  a: { <<: *d, ${proc} }\n`)).toEqual([
      'plan.yaml:4:12: a merge key (<<) takes a mapping, an alias of one (*name) or a list of them',
    ]);
    expect(errorsOf(`name: p\nl: &l [1]\nservices:\n  a: { <<: *l, ${proc} }\n`)).toEqual([
      'plan.yaml:4:12: a merge key (<<) takes a mapping, an alias of one (*name) or a list of them',
    ]);
    expect(errorsOf(`name: p\nd: &d { critical: true }\nservices:\n  a: { <<: [*d, 3], ${proc} }\n`)).toEqual([
      'plan.yaml:4:17: a merge key (<<) takes a mapping, an alias of one (*name) or a list of them',
    ]);
    // Mappings, aliases of mappings and lists of them merge.
    const merged = `name: p\nd: &d { critical: false }\nl: &l [*d, { oneShot: true }]\nservices:\n  a: { <<: *l, ${proc} }\n  b: { <<: [*d], ${proc} }\n`;
    expect(errorsOf(merged)).toEqual(['plan.yaml: d: unknown field', 'plan.yaml: l: unknown field']);
  });

  test("manifest YAML errors end with their line and column, not the library's excerpt", () => {
    const yaml =
      'name: p\nservices:\n  k: { kubernetes: { inline: ["apiVersion: v1\\nkind: Pod\\nmetadata:\\n  name: x\\n a: b\\n", "kind: A\\n---\\nb: *c\\n"] } }\n';
    expect(errorsOf(yaml)).toEqual([
      'plan.yaml: services.k.kubernetes.inline[0]: inline manifest 1 (document 1): invalid YAML: bad indentation: all mapping items must start at the same column (line 5, column 1)',
      'plan.yaml: services.k.kubernetes.inline[1]: inline manifest 2 (document 1): missing apiVersion, metadata.name',
      'plan.yaml: services.k.kubernetes.inline[1]: inline manifest 2 (document 2): invalid YAML: unknown alias *c: an alias (*name) must name an anchor (&name) defined before it (line 3, column 4)',
    ]);
  });

  test('control characters in keys and values are printed escaped', () => {
    expect(errorsOf(`name: p\n"\\0\\x01services": {}\nservices:\n  a: { ${proc} }\n`)).toEqual([
      'plan.yaml: \\u0000\\u0001services: unknown field (did you mean "services"?)',
    ]);
    expect(errorsOf(`name: p\nservices:\n  "a\\x1b[2J": { ${proc}, dependsOn: ["b\\tc"] }\n`)).toEqual([
      'plan.yaml: services.a\\u001b[2J: invalid service name "a\\u001b[2J": must be lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters',
      'plan.yaml: services.a\\u001b[2J.dependsOn[0]: unknown service "b\\tc"',
    ]);
    expect(formatIssue({ file: 'f\n.yaml', path: 'a\u202eb', message: 'x\u0085y' })).toBe(
      'f\\n.yaml: a\\u202eb: x\\u0085y',
    );
  });
});

describe('docker fields of the plan', () => {
  test('groupAdd takes group names and numeric IDs', () => {
    const result = loadPlanText('name: p\nservices:\n  a: { docker: { image: x, groupAdd: [audio, 100] } }\n', {
      file: 'plan.yaml',
      env: {},
    });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.plan.services[0]!.target).toMatchObject({ groupAdd: ['audio', '100'] });
  });
});
