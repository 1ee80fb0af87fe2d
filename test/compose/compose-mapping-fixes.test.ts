import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { importCompose } from '../../src/compose/import-compose';
import { readCommandLine, splitCommand } from '../../src/compose/split-command';
import { importText, importedView } from '../support/compose-import';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'bootwave-compose-mapping-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const load = (text: string, env: Record<string, string> = {}) => importText(dir, text, env);
const loaded = importedView;

/** One service `a` with the given keys (YAML flow mapping body). */
const one = (keys: string, extra = '') => `services:\n  a: { image: busybox:1, ${keys} }\n${extra}`;

describe('a disabled healthcheck reaches the engine', () => {
  test.each([
    ['disable: true', '{ disable: true }'],
    ['disable: true over a test', '{ test: [CMD, "true"], disable: true }'],
    ['test: [NONE]', '{ test: [NONE] }'],
  ])('%s: the container gets Test ["NONE"], so the image HEALTHCHECK does not run', (_name, check) => {
    const { service, errors } = load(one(`healthcheck: ${check}`));
    expect(errors).toEqual([]);
    expect(service('a')?.target.healthcheck?.test).toEqual(['NONE']);
    // No health gate waits for it: the start timeout stays the default.
    expect(service('a')?.startTimeoutMs).toBe(60_000);
  });

  test('a service without a healthcheck still has none (the image HEALTHCHECK runs, as in Compose)', () => {
    expect(load(one('command: [sleep, "1"]')).service('a')?.target.healthcheck).toBeUndefined();
  });
});

describe('wrongly typed values are errors, never stringified', () => {
  test('environment and labels take scalars only', () => {
    expect(load(one('environment: { NESTED: { a: 1 }, LIST: [1, 2], OK: 1.5, B: true }')).errors).toEqual([
      'services.a.environment.NESTED: must be a string, number, boolean or null, got {"a":1}',
      'services.a.environment.LIST: must be a string, number, boolean or null, got [1,2]',
    ]);
    expect(load(one('environment: [A=1, { B: 2 }, 3]')).errors).toEqual([
      'services.a.environment[1]: must be a string (KEY=value or KEY), got {"B":2}',
      'services.a.environment[2]: must be a string (KEY=value or KEY), got 3',
    ]);
    expect(load(one('labels: { obj: { x: 1 } }')).errors).toEqual([
      'services.a.labels.obj: must be a string, number, boolean or null, got {"x":1}',
    ]);
    expect(load(one('labels: [tier=db, { x: 1 }]')).errors).toEqual([
      'services.a.labels[1]: must be a string, got {"x":1}',
    ]);
    const { service } = load(one('environment: { N: 1.5, B: true, S: x }, labels: { n: 1, b: false }'));
    expect(service('a')?.target.env).toEqual({ N: '1.5', B: 'true', S: 'x' });
    expect(service('a')?.target.labels).toEqual({ n: '1', b: 'false' });
  });

  test('command and entrypoint are a string or a list of strings', () => {
    expect(load(one('command: { not: valid }')).errors).toEqual([
      'services.a.command: must be a command string or a list of strings, got {"not":"valid"}',
    ]);
    expect(load(one('entrypoint: [sh, [x]]')).errors).toEqual([
      'services.a.entrypoint[1]: must be a string, got ["x"]',
    ]);
    expect(load(one('command: [echo, 1]')).errors).toEqual(['services.a.command[1]: must be a string, got 1']);
    // null is no command (the image's), not the word "null".
    expect(load(one('command: null')).service('a')?.target.command).toBeUndefined();
  });

  test('string keys must be strings: working_dir, user, image, container_name, restart', () => {
    expect(load(one('working_dir: { a: 1 }, user: 1000, container_name: [x], restart: { a: 1 }')).errors).toEqual([
      'services.a.container_name: must be a string, got ["x"]',
      'services.a.user: must be a string, got 1000',
      'services.a.working_dir: must be a string, got {"a":1}',
      'services.a.restart: must be a string, got {"a":1}',
    ]);
    expect(load('services:\n  a: { image: { name: x } }\n').errors).toEqual([
      'services.a.image: must be a string, got {"name":"x"}',
    ]);
    expect(load('services:\n  a: { command: [x] }\n').errors).toEqual([
      'services.a.image: is required (or a build to make it)',
    ]);
  });

  test('lists of strings: cap_add, dns (or one string), extra_hosts, tmpfs, sysctls, depends_on, networks', () => {
    expect(
      load(
        one(
          'cap_add: NET_ADMIN, dns: [{ a: 1 }], extra_hosts: { h: { a: 1 } }, tmpfs: { a: 1 }, sysctls: { a: { b: 1 } }',
        ),
      ).errors,
    ).toEqual([
      'services.a.cap_add: must be a list of strings, got "NET_ADMIN"',
      'services.a.dns[0]: must be a string, got {"a":1}',
      'services.a.extra_hosts.h: must be a list of strings or a string, got {"a":1}',
      'services.a.sysctls.a: must be a string, number, boolean or null, got {"b":1}',
      'services.a.tmpfs: must be a list of strings or a string, got {"a":1}',
    ]);
    expect(load(one('dns: 8.8.8.8')).service('a')?.target.dns).toEqual(['8.8.8.8']);
    expect(load(one('depends_on: [{ b: 1 }], networks: [1]')).errors).toEqual([
      'services.a.networks[0]: must be a string, got 1',
      'services.a.depends_on[0]: must be a string, got {"b":1}',
    ]);
  });

  test('read_only and group_add reach the container; malformed ones are errors', () => {
    expect(load(one('read_only: true, group_add: [audio, 1001]')).service('a')?.target).toMatchObject({
      readOnly: true,
      groupAdd: ['audio', '1001'],
    });
    expect(load(one('read_only: 1, group_add: audio')).errors).toEqual([
      'services.a.read_only: must be true or false, got 1',
      'services.a.group_add: must be a list of group names or IDs, got "audio"',
    ]);
  });

  test('booleans read as Compose casts them: yes/no, on/off, y/n in any case; numbers and other words refused', () => {
    const target = (fields: string) => load(one(fields)).service('a')?.target;
    expect(target('read_only: "yes", init: "Off", privileged: "Y"')).toMatchObject({
      readOnly: true,
      init: false,
      privileged: true,
    });
    expect(target('read_only: "no"')?.readOnly).toBeUndefined();
    // An interpolated boolean is a string: `${RO:-on}` is as good as `true`.
    expect(target('read_only: "${RO:-on}"')?.readOnly).toBe(true);
    expect(load(one('init: "t", privileged: 0')).errors).toEqual([
      'services.a.privileged: must be true or false, got 0',
      'services.a.init: must be true or false, got "t"',
    ]);
  });

  test('a misspelt resource key is an error, and two different memory limits are refused', () => {
    expect(
      load(one('mem_limit: 512m, deploy: { resources: { limits: { memroy: 1g, memory: 1g }, reservation: {} } }'))
        .errors,
    ).toEqual([
      'services.a.deploy.resources.limits.memroy: unknown key (expected cpus, memory, pids)',
      'services.a.deploy.resources.reservation: unknown key (expected limits, reservations)',
      'services.a.mem_limit: differs from deploy.resources.limits.memory: give the limit once',
    ]);
  });

  test('a bare number is no duration (Compose refuses it; it would read as milliseconds)', () => {
    expect(load(one('stop_grace_period: 10, healthcheck: { test: [CMD, "true"], interval: 5 }')).errors).toEqual([
      'services.a.stop_grace_period: must be a duration string such as 10s or 1m30s, got 10',
      'services.a.healthcheck.interval: must be a duration string such as 10s or 1m30s, got 5',
    ]);
  });

  test('a misspelt depends_on key is an error, never a weaker gate', () => {
    expect(
      load(
        one(
          'depends_on: { b: { conditon: service_healthy, requird: false }, c: 5 }',
          '  b: { image: busybox:1 }\n  c: { image: busybox:1 }\n',
        ),
      ).errors,
    ).toEqual([
      'services.a.depends_on.b.conditon: unknown key (expected condition, required, restart)',
      'services.a.depends_on.b.requird: unknown key (expected condition, required, restart)',
      'services.a.depends_on.c: must be a mapping (condition, required, restart), got 5',
    ]);
  });

  test('env_file entries are paths or { path, required }', () => {
    expect(load(one('env_file: [{ path: { a: 1 } }, 42]')).errors).toEqual([
      'services.a.env_file[0].path: must be a string, got {"a":1}',
      'services.a.env_file[1]: must be a file path or a mapping with path, got 42',
    ]);
  });
});

describe('long-syntax volumes, ports and secrets', () => {
  const declared = 'volumes: { data: {} }\nsecrets: { pw: { file: ./pw.txt } }\n';

  test('unknown keys are errors, as in Compose', () => {
    expect(
      load(
        one(
          'volumes: [{ type: volume, source: data, target: /d, bogus_key: 1 }, { type: bind, source: ., target: /b, bind: { bogus: 1 } }], ports: [{ target: 80, published: 18080, bogus: 2 }], secrets: [{ source: pw, targett: pw }]',
          declared,
        ),
      ).errors,
    ).toEqual([
      'services.a.ports[0].bogus: unknown key (expected target, published, host_ip, protocol, mode, name, app_protocol)',
      'services.a.volumes[0].bogus_key: unknown key (expected type, source, target, read_only, consistency, bind, volume, tmpfs, image)',
      'services.a.volumes[1].bind.bogus: unknown key (expected propagation, create_host_path, recursive, selinux)',
      'services.a.secrets[0].targett: unknown key (expected source, target, uid, gid, mode)',
    ]);
  });

  test('a long-syntax volume needs its type, as in Compose', () => {
    expect(load(one('volumes: [{ source: data, target: /d }]', declared)).errors).toEqual([
      'services.a.volumes[0].type: is required (bind, volume or tmpfs)',
    ]);
  });

  test('a tmpfs volume becomes a tmpfs mount with its size and mode; a source or a bad option is an error', () => {
    const { service, errors } = load(
      one(
        'tmpfs: [/cache], volumes: [{ type: tmpfs, target: /run/app, read_only: true, tmpfs: { size: 64m, mode: 1777 } }]',
      ),
    );
    expect(errors).toEqual([]);
    expect(service('a')?.target.tmpfs).toEqual({ '/cache': '', '/run/app': 'ro,size=67108864,mode=3361' });
    expect(
      load(one('volumes: [{ type: tmpfs, source: x, target: /t, tmpfs: { size: lots, mode: "1777", sise: 1 } }]'))
        .errors,
    ).toEqual([
      'services.a.volumes[0].source: a tmpfs mount has no source',
      'services.a.volumes[0].tmpfs.sise: unknown key (expected size, mode)',
      'services.a.volumes[0].tmpfs.size: invalid size "lots": expected e.g. 64m, 1g or bytes',
      'services.a.volumes[0].tmpfs.mode: must be a file mode number, got "1777"',
    ]);
  });

  test('a later mount at the same target replaces the earlier, as Compose merges volumes; the tmpfs key may not share one', () => {
    const { service, errors } = load(
      one('volumes: ["./data:/z", { type: tmpfs, target: /z }, "./a:/y", "./b:/y", /w, "./c:/w"]', declared),
    );
    expect(errors).toEqual([]);
    expect(service('a')?.target.tmpfs).toEqual({ '/z': '' });
    expect(service('a')?.target.volumes.map((v) => v.replace(/^.*\/(\w+):/, '$1:'))).toEqual(['b:/y', 'c:/w']);
    expect(service('a')?.target.anonymousVolumes).toBeUndefined();
    expect(load(one('tmpfs: ["/x:size=1m"], volumes: [{ type: tmpfs, target: /x }]')).errors).toEqual([
      'services.a.volumes: target /x is already mounted by services.a.tmpfs',
    ]);
  });

  test('volume.subpath is refused: bootwave would mount the whole volume', () => {
    expect(
      load(one('volumes: [{ type: volume, source: data, target: /d, volume: { subpath: sub } }]', declared)).errors,
    ).toEqual([
      'services.a.volumes[0].volume.subpath: not supported by bootwave: it would mount the whole volume, not its "sub" (mount a volume of its own instead)',
    ]);
  });

  test('nocopy, propagation and selinux are applied as bind options; the rest is warned about by path', () => {
    const { service, errors, warnings } = load(
      one(
        'volumes: [{ type: volume, source: data, target: /d, read_only: true, volume: { nocopy: true, labels: { a: b } } }, { type: bind, source: ./conf, target: /c, consistency: cached, bind: { propagation: rshared, selinux: z, create_host_path: false, recursive: readonly } }, { type: bind, source: ./x, target: /x, bind: { create_host_path: true } }], secrets: [{ source: pw, uid: "1000", gid: "1000", mode: 0400 }]',
        declared,
      ),
    );
    expect(errors).toEqual([]);
    expect(service('a')?.target.volumes).toEqual([
      expect.stringMatching(/^bootwave-[a-z0-9-]+-data:\/d:ro,nocopy$/),
      `${dir}/conf:/c:rshared,z`,
      `${dir}/x:/x`,
      `${dir}/pw.txt:/run/secrets/pw:ro`,
    ]);
    expect(warnings).toEqual([
      'services.a.volumes[0].volume.labels: ignored: the volume is created without these labels',
      "services.a.volumes[1].consistency: ignored: the engine's default consistency is used (it only matters on macOS)",
      'services.a.volumes[1].bind.create_host_path: ignored: the engine creates a missing host path (bootwave mounts binds as the short syntax does)',
      "services.a.volumes[1].bind.recursive: ignored: the engine's default recursive mount is used",
      'services.a.secrets[0].uid: ignored: bootwave mounts the file read-only with the owner and mode it has (set them on the file)',
      'services.a.secrets[0].gid: ignored: bootwave mounts the file read-only with the owner and mode it has (set them on the file)',
      'services.a.secrets[0].mode: ignored: bootwave mounts the file read-only with the owner and mode it has (set them on the file)',
    ]);
  });

  test('malformed option values are errors', () => {
    expect(
      load(one('volumes: [{ type: bind, source: ., target: /b, bind: { propagation: sideways, selinux: q } }]')).errors,
    ).toEqual([
      'services.a.volumes[0].bind.propagation: must be one of shared, slave, private, rshared, rslave, rprivate, got "sideways"',
      'services.a.volumes[0].bind.selinux: must be z or Z, got "q"',
    ]);
  });
});

describe('ports: IPv6 host IPs, no host port, messages as written', () => {
  test('IPv6 host IPs in brackets, bare, and in the long syntax are published there', () => {
    const { service, errors } = load(
      one(
        'ports: ["[::1]:18054:80", "::1:18082:81/udp", { target: 82, published: 18083, host_ip: "::1" }, "[::]:18084:83"]',
      ),
    );
    expect(errors).toEqual([]);
    expect(service('a')?.target.ports).toEqual([
      { hostIp: '::1', hostPort: 18054, containerPort: 80, protocol: 'tcp' },
      { hostIp: '::1', hostPort: 18082, containerPort: 81, protocol: 'udp' },
      { hostIp: '::1', hostPort: 18083, containerPort: 82, protocol: 'tcp' },
      { hostIp: '::', hostPort: 18084, containerPort: 83, protocol: 'tcp' },
    ]);
  });

  test('errors quote the port as the file wrote it', () => {
    expect(
      load(
        one(
          'ports: ["70000:80", "80:0", "999.1.1.1:18001:80", "localhost:18002:80", "[::1]:80", "8080:80/sctp", { target: 80, published: 70000 }, { target: 80, published: 18003, host_ip: "[::1]" }, { published: 18004 }, "::1", "[::1:80:80"]',
        ),
      ).errors,
    ).toEqual([
      'services.a.ports[0]: host port must be from 1 to 65535, got 70000 in "70000:80"',
      'services.a.ports[1]: container port must be from 1 to 65535, got 0 in "80:0"',
      'services.a.ports[2]: invalid host IP 999.1.1.1 in "999.1.1.1:18001:80"',
      'services.a.ports[3]: invalid host IP localhost in "localhost:18002:80"',
      'services.a.ports[4]: invalid port "[::1]:80": expected [hostIp:]hostPort:containerPort[/tcp|udp]',
      'services.a.ports[5]: invalid port "8080:80/sctp": protocol "sctp" is not supported by bootwave (tcp or udp)',
      'services.a.ports[6].published: must be a port number from 1 to 65535, got 70000',
      'services.a.ports[7].host_ip: invalid IP address "[::1]" (an IPv4 or IPv6 address, without brackets)',
      'services.a.ports[8].target: is required (the container port)',
      'services.a.ports[9]: invalid port "::1": expected [hostIp:]hostPort:containerPort[/tcp|udp] (an IPv6 host IP in brackets: [::1]:8080:80)',
      'services.a.ports[10]: invalid port "[::1:80:80": expected [hostIp:]hostPort:containerPort[/tcp|udp] (an IPv6 host IP in brackets: [::1]:8080:80)',
    ]);
  });

  test('every port without a fixed host port is warned about and not published, as "9000" is', () => {
    const { service, errors, warnings } = load(
      one(
        'ports: ["9000", 9001, ":80", "127.0.0.1::443", "[::1]::444", "0:81", { target: 82 }, { target: 83, published: 0 }]',
      ),
    );
    expect(errors).toEqual([]);
    expect(service('a')?.target.ports).toEqual([]);
    const fixed = '(bootwave publishes fixed host ports only)';
    expect(warnings).toEqual([
      `services.a.ports[0]: ignored: port 9000 has no host port ${fixed}`,
      `services.a.ports[1]: ignored: port 9001 has no host port ${fixed}`,
      `services.a.ports[2]: ignored: port :80 has no host port ${fixed}`,
      `services.a.ports[3]: ignored: port 127.0.0.1::443 has no host port ${fixed}`,
      `services.a.ports[4]: ignored: port [::1]::444 has no host port ${fixed}`,
      `services.a.ports[5]: ignored: port 0:81 asks for a random host port ${fixed}`,
      `services.a.ports[6]: ignored: port 82 has no host port ${fixed}`,
      `services.a.ports[7]: ignored: port 83 asks for a random host port ${fixed}`,
    ]);
  });
});

describe('resource keys and scale', () => {
  test('cpus and mem_reservation are warnings, as their deploy.resources forms are', () => {
    const { errors, warnings } = load(one('cpus: 0.5, mem_reservation: 64m, mem_limit: 128m'));
    expect(errors).toEqual([]);
    expect(warnings).toEqual([
      'services.a.cpus: ignored: only the memory limit is applied (no CPU limit is set)',
      'services.a.mem_reservation: ignored: only the memory limit is applied (no memory reservation is set)',
    ]);
  });

  test('scale: 1 is accepted like deploy.replicas: 1; other counts are errors', () => {
    expect(load(one('scale: 1')).errors).toEqual([]);
    expect(load(one('scale: "1"')).errors).toEqual([]);
    expect(load(one('scale: 2')).errors).toEqual([
      'services.a.scale: not supported by bootwave (one container per service), got 2',
    ]);
    expect(load(one('scale: 0')).errors).toEqual([
      'services.a.scale: not supported by bootwave (one container per service), got 0',
    ]);
  });
});

describe('keys real files carry', () => {
  test('an empty host IP names none (":8080:80", as `${BIND_IP:-}:8080:80` gives it): published on 127.0.0.1', () => {
    const { service, errors } = load(one('ports: [":8080:80", "${BIND:-}:8443:443"]'));
    expect(errors).toEqual([]);
    expect(service('a')?.target.ports).toEqual([
      { hostIp: '127.0.0.1', hostPort: 8080, containerPort: 80, protocol: 'tcp' },
      { hostIp: '127.0.0.1', hostPort: 8443, containerPort: 443, protocol: 'tcp' },
    ]);
  });

  test('attach and develop only change what `docker compose up` shows and watches: warnings', () => {
    const { errors, warnings } = load(
      one('attach: false, develop: { watch: [{ action: sync, path: ., target: /app }] }'),
    );
    expect(errors).toEqual([]);
    expect(warnings).toEqual([
      'services.a.attach: not applied: bootwave shows no container logs while it boots',
      'services.a.develop: not applied: bootwave does not watch files (Compose Watch)',
    ]);
  });
});

describe('network_mode', () => {
  test("service:<name> shares that service's network, named as in the plan, and depends on it being started", () => {
    const { service, errors, warnings } = load(
      'services:\n  VPN: { image: busybox:1, ports: ["8080:80"] }\n  app: { image: busybox:1, network_mode: "service:VPN", container_name: the-app }\n',
    );
    expect(errors).toEqual([]);
    expect(service('app')?.target).toMatchObject({ networkMode: 'service:vpn', networks: [] });
    expect(service('app')?.target.aliases).toBeUndefined();
    expect(service('app')?.dependsOn).toEqual([{ service: 'vpn', kind: 'requires', condition: 'started' }]);
    expect(warnings).toEqual([
      expect.stringMatching(
        /^services\.app\.container_name: not applied: in network_mode "service:VPN" no container reaches it by name; it is named bootwave-.+-app$/,
      ),
    ]);
  });

  test('a depends_on on the shared service keeps its own condition', () => {
    const { service } = load(
      'services:\n  vpn: { image: busybox:1, healthcheck: { test: [CMD, "true"] } }\n  app: { image: busybox:1, network_mode: "service:vpn", depends_on: { vpn: { condition: service_healthy } } }\n',
    );
    expect(service('app')?.dependsOn).toEqual([{ service: 'vpn', kind: 'requires', condition: 'healthy' }]);
  });

  test('the engine bridge publishes ports; none drops them with a warning, as the engine discards them', () => {
    const bridge = load(one('network_mode: bridge, ports: ["8080:80"]'));
    expect(bridge.errors).toEqual([]);
    expect(bridge.service('a')?.target).toMatchObject({
      networkMode: 'bridge',
      ports: [expect.objectContaining({ hostPort: 8080, containerPort: 80 })],
    });
    const none = load(one('network_mode: none, ports: ["8080:80"]'));
    expect(none.service('a')?.target).toMatchObject({ networkMode: 'none', ports: [] });
    expect(none.warnings).toEqual([
      'services.a.ports: not published in network_mode "none": the container has no network',
    ]);
  });

  test('host drops the published ports with a warning, as the engine discards them', () => {
    const { service, errors, warnings } = load(one('network_mode: host, ports: ["8080:80"]'));
    expect(errors).toEqual([]);
    expect(service('a')?.target).toMatchObject({ networkMode: 'host', ports: [] });
    expect(warnings).toEqual([
      'services.a.ports: not published in network_mode "host": the container listens on the host\'s own ports',
    ]);
  });

  test('a bad mode, an unknown service, networks beside it and ports where the engine refuses them are errors', () => {
    expect(load(one('network_mode: bogus')).errors).toEqual([
      'services.a.network_mode: invalid network mode "bogus": expected host, none, bridge, service:<name> or container:<name>',
    ]);
    expect(load(one('network_mode: "service:nope"')).errors).toEqual([
      'services.a.network_mode: unknown service "nope"',
    ]);
    expect(load(one('network_mode: "container:vpn", networks: [default], ports: ["80:80"]')).errors).toEqual([
      'services.a.network_mode: cannot be combined with networks (Compose: they are mutually exclusive)',
      'services.a.ports: cannot be published in network_mode "container:vpn" (publish them where the network is)',
    ]);
  });
});

describe('network aliases and links', () => {
  test("a network's aliases are the target's names on that network only; the networks keep their order", () => {
    const { service, errors, warnings } = load(
      'services:\n  prometheus:\n    image: busybox:1\n    networks:\n      default: {}\n      monitoring: { aliases: [prom, metrics] }\n  grafana: { image: busybox:1, networks: [monitoring] }\nnetworks: { monitoring: {} }\n',
    );
    expect(errors).toEqual([]);
    expect(warnings).toEqual([]);
    expect(service('prometheus')?.target).toMatchObject({
      networkAliases: { monitoring: ['prom', 'metrics'] },
      networks: ['default', 'monitoring'],
    });
    expect(service('prometheus')?.target.aliases).toBeUndefined();
  });

  test('aliases on two networks are each given on their own network', () => {
    const { service, warnings } = load(
      'services:\n  a:\n    image: busybox:1\n    networks:\n      front: { aliases: [x] }\n      back: { aliases: [y, a] }\nnetworks: { front: {}, back: {} }\n',
    );
    expect(service('a')?.target.networkAliases).toEqual({ front: ['x'], back: ['y'] });
    expect(warnings).toEqual([]);
  });

  test('a link alias is an alias of the linked service, and the link a dependency, as in Compose', () => {
    const { service, errors, warnings } = load(
      'services:\n  app: { image: busybox:1, links: ["redis:cache", db] }\n  redis: { image: busybox:1, container_name: the-redis }\n  db: { image: busybox:1 }\n',
    );
    expect(errors).toEqual([]);
    expect(service('redis')?.target.aliases).toEqual(['the-redis', 'cache']);
    expect(service('db')?.target.aliases).toBeUndefined();
    expect(service('app')?.dependsOn).toEqual([
      { service: 'redis', kind: 'requires', condition: 'started' },
      { service: 'db', kind: 'requires', condition: 'started' },
    ]);
    expect(warnings.filter((w) => w.includes('links'))).toEqual([]);
  });

  test('an explicit depends_on says how to wait for a linked service', () => {
    const { service } = load(
      'services:\n  app:\n    image: busybox:1\n    links: [redis]\n    depends_on: { redis: { condition: service_healthy, required: false } }\n  redis: { image: busybox:1, healthcheck: { test: [CMD, "true"] } }\n',
    );
    expect(service('app')?.dependsOn).toEqual([{ service: 'redis', kind: 'wants', condition: 'healthy' }]);
  });

  test('links to no service, malformed links and aliases naming another service are errors', () => {
    expect(
      load(
        'services:\n  app: { image: busybox:1, links: ["ghost:cache", "redis:cache:x", "redis:db"] }\n  redis: { image: busybox:1 }\n  db: { image: busybox:1 }\n',
      ).errors,
    ).toEqual([
      'services.app.links[1]: invalid link "redis:cache:x": expected SERVICE or SERVICE:ALIAS',
      'services.app.links[0]: unknown service "ghost"',
      'services.app.links[2]: alias "db" is already a name of service "db": bootwave gives link aliases on the network, where it would reach both (choose another alias)',
    ]);
  });

  test('a link alias on a network the linking service does not join is warned about', () => {
    const { warnings } = load(
      'services:\n  app: { image: busybox:1, links: ["redis:cache"], networks: [front] }\n  redis: { image: busybox:1, networks: [back] }\nnetworks: { front: {}, back: {} }\n',
    );
    expect(warnings).toEqual([
      'services.app.links[0]: app shares no network with redis: the alias cache does not reach it from there',
    ]);
  });

  test('unknown network entry keys are errors; known ones are warned about', () => {
    const { errors, warnings } = load(one('networks: { default: { bogus: 1, ipv4_address: 10.0.0.2 } }'));
    expect(errors).toEqual([
      'services.a.networks.default.bogus: unknown key (expected aliases, interface_name, ipv4_address, ipv6_address, link_local_ips, mac_address, driver_opts, priority, gw_priority)',
    ]);
    expect(warnings).toEqual([
      'services.a.networks.default.ipv4_address: ignored: containers are reached by service name',
    ]);
  });
});

describe('command strings are split as Compose splits them', () => {
  test.each([
    ['echo "a\\b" x\\ y', ['echo', 'ab', 'x y']],
    ["echo 'a\\b' \"\" ''", ['echo', 'a\\b', '', '']],
    ['sh -c "echo $$HOME; exit 1"', ['sh', '-c', 'echo $$HOME; exit 1']],
    ['echo $(date +%s) `id -u`', ['echo', '$(date +%s)', '`id -u`']],
    ['a#b #c', ['a#b', '#c']],
    ['', []],
  ])('%s', (text, words) => {
    expect(readCommandLine(text)).toEqual({ ok: true, words });
  });

  test('an unquoted ; & | < > ends the command (the rest is not run), with a warning', () => {
    expect(readCommandLine('echo a; echo b')).toEqual({ ok: true, words: ['echo', 'a'], dropped: '; echo b' });
    expect(readCommandLine('run 2>/dev/null')).toEqual({ ok: true, words: ['run'], dropped: '2>/dev/null' });
    expect(splitCommand('a && b')).toEqual(['a']);
    expect(load(one('command: "migrate && serve"')).warnings).toEqual([
      'services.a.command: "&& serve" is not run, as in Compose: a command string is split into words, not run by a shell (write [sh, -c, "..."] for one)',
    ]);
  });

  test('an unclosed quote is an error', () => {
    expect(readCommandLine('echo "open').ok).toBe(false);
    expect(readCommandLine('echo \\').ok).toBe(false);
    expect(readCommandLine('echo (x)').ok).toBe(false);
    expect(load(one(`command: 'echo "open'`)).errors).toEqual([
      'services.a.command: invalid command line: an unclosed quote, a trailing "\\" or an unbalanced "(" / ")" in "echo \\"open"',
    ]);
  });
});

describe('the ports and aliases fixtures of the conformance corpus', () => {
  const fixture = (name: string) =>
    loaded(importCompose(resolve(__dirname, `../fixtures/compose/${name}/compose.yaml`), { env: {} }));

  test('ports: every form Compose accepts imports; ports without a fixed host port are warned about', () => {
    const { service, errors, warnings } = fixture('ports');
    expect(errors).toEqual([]);
    expect(
      service('web')?.target.ports.map((p) => `${p.hostIp} ${p.hostPort}:${p.containerPort}/${p.protocol}`),
    ).toEqual([
      '127.0.0.1 18301:80/tcp',
      '127.0.0.1 18302:81/tcp',
      '0.0.0.0 18303:82/udp',
      '::1 18304:83/tcp',
      '::1 18305:84/tcp',
      ':: 18306:85/tcp',
      '127.0.0.1 18310:90/tcp',
      '127.0.0.1 18311:91/tcp',
      '127.0.0.1 18312:92/udp',
      '127.0.0.1 18313:93/udp',
    ]);
    expect(
      service('api')?.target.ports.map((p) => `${p.hostIp} ${p.hostPort}:${p.containerPort}/${p.protocol}`),
    ).toEqual(['::1 18307:86/tcp', '127.0.0.1 18308:87/udp', '127.0.0.1 18309:8080/tcp']);
    expect(warnings).toHaveLength(8);
    expect(warnings).toContain(
      'services.web.ports[13]: ignored: port 18320-18330:94 asks for any free host port of a range (bootwave publishes fixed host ports only)',
    );
    expect(warnings).toContain(
      'services.api.ports[4]: ignored: port 95 asks for any free host port of 18340-18345 (bootwave publishes fixed host ports only)',
    );
  });

  test('a protocol in any case, one protocol only; a published range of one port is that port', () => {
    const { service, errors } = load(
      one('ports: ["18001:80/UDP", { target: 81, published: "18002-18002", protocol: TCP }]'),
    );
    expect(errors).toEqual([]);
    expect(service('a')?.target.ports.map((p) => `${p.hostPort}:${p.containerPort}/${p.protocol}`)).toEqual([
      '18001:80/udp',
      '18002:81/tcp',
    ]);
    expect(load(one('ports: ["18001:80/tcp/udp", { target: 81, published: "18003-18001" }]')).errors).toEqual([
      'services.a.ports[0]: invalid port "18001:80/tcp/udp": protocol "tcp/udp" is not supported by bootwave (tcp or udp)',
      'services.a.ports[1].published: invalid port range "18003-18001"',
    ]);
  });

  test('aliases: network aliases, link aliases and link dependencies', () => {
    const { service, errors } = fixture('aliases');
    expect(errors).toEqual([]);
    expect(service('prometheus')?.target.networkAliases).toEqual({ monitoring: ['prom', 'metrics'] });
    expect(service('prometheus')?.target.networks).toEqual(['monitoring', 'default']);
    expect(service('redis')?.target.aliases).toEqual(['cache']);
    expect(service('db')?.target).toMatchObject({ aliases: ['database'], networkAliases: { default: ['pg'] } });
    expect(service('app')?.dependsOn.map((d) => `${d.service} ${d.kind} ${d.condition}`)).toEqual([
      'redis requires started',
      'prometheus requires started',
    ]);
    expect(service('worker')?.dependsOn.map((d) => `${d.service} ${d.kind} ${d.condition}`)).toEqual([
      'redis wants started',
    ]);
  });
});

describe('top-level volumes, networks, secrets and configs', () => {
  test('external is a Compose boolean or the legacy { name } mapping; anything else is an error', () => {
    const mountsOf = (declaration: string) =>
      load(`services:\n  a: { image: busybox:1, volumes: ["data:/d"] }\nvolumes:\n  data: ${declaration}\n`);
    expect(mountsOf('{ external: "yes" }').service('a')?.target.volumes).toEqual(['data:/d']);
    expect(mountsOf('{ external: { name: team-data } }').service('a')?.target.volumes).toEqual(['team-data:/d']);
    expect(mountsOf('{ external: "no" }').service('a')?.target.volumes?.[0]).toMatch(/^bootwave-.*-data:\/d$/);
    expect(mountsOf('{ external: 1 }').errors).toEqual(['volumes.data.external: must be true or false, got 1']);
    // A network declared `external: "false"` is the plan's own network, not an external one.
    expect(load(one('networks: [back]', 'networks:\n  back: { external: "false" }\n')).errors).toEqual([]);
  });

  test('depends_on: required takes only a real boolean, as in Compose; restart takes the words too', () => {
    const text = (options: string) =>
      `services:\n  b: { image: x:1 }\n  a: { image: x:1, depends_on: { b: ${options} } }\n`;
    expect(load(text('{ required: "yes" }')).errors).toEqual([
      'services.a.depends_on.b.required: must be true or false, got "yes"',
    ]);
    expect(load(text('{ restart: "yes" }')).warnings).toEqual([
      'services.a.depends_on.b.restart: noted but not supported by bootwave: dependents are not restarted when b restarts',
    ]);
  });

  test('a misspelt key is an error; a setting bootwave does not apply is a warning at its key', () => {
    const text = [
      'services:',
      '  a: { image: busybox:1, networks: [back], volumes: ["data:/data"] }',
      'volumes:',
      '  data: { name: prod-data, driver: local, bogus: 1 }',
      'networks:',
      '  back: { name: backend, driver: overlay }',
      'secrets:',
      '  token: { file: ./token.txt, lables: {} }',
      '',
    ].join('\n');
    const { errors } = load(text);
    expect(errors).toEqual([
      'volumes.data.bogus: unknown key (expected name, driver, driver_opts, external, labels)',
      'secrets.token.lables: unknown key (expected name, file, environment, content, external, labels, driver, driver_opts, template_driver)',
    ]);
    expect(load(text.replace('{ name: backend, driver: overlay }', '{ external: true }')).errors).toContain(
      'networks.back.external: not supported by bootwave (networks are created per plan)',
    );
    const { warnings } = load(text.replace(', bogus: 1', '').replace(', lables: {}', ''));
    expect(warnings).toEqual([
      'volumes.data.name: ignored: bootwave names each volume after its plan',
      'volumes.data.driver: ignored: plan volumes are plain local volumes',
      'networks.back.name: ignored: bootwave names each network after its plan',
      'networks.back.driver: ignored: plan networks are plain bridge networks',
    ]);
  });
});
