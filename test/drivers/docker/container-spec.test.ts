import {
  containerCreateSpec,
  containerNetworks,
  containerSpecHash,
  serviceAliases,
} from '../../../src/drivers/docker/container-spec';
import type { DockerTarget, ServiceSpec } from '../../../src/plan/types';
import { dockerService } from '../../support/docker';
import { defaultProbeTiming } from '../../../src/plan/defaults';

const svc = (target: Partial<DockerTarget>, extra: Partial<ServiceSpec> = {}) =>
  dockerService('api', target, extra) as ServiceSpec & { target: DockerTarget };

describe('containerCreateSpec', () => {
  it('derives name, labels, ports, env, memory, restart policy and the plan network with the service alias', () => {
    const service = svc(
      {
        image: 'bootwave-test/api:1',
        command: ['serve'],
        env: { A: '1' },
        labels: { team: 'core' },
        ports: [
          { hostIp: '127.0.0.1', hostPort: 18801, containerPort: 80, protocol: 'tcp' },
          { hostIp: '127.0.0.1', hostPort: 18802, containerPort: 80, protocol: 'tcp' },
          { hostIp: '127.0.0.1', hostPort: 18803, containerPort: 53, protocol: 'udp' },
        ],
        volumes: ['/data:/data:ro'],
        restart: 'on-failure',
        restartMaxAttempts: 3,
      },
      { memoryBytes: 1024 },
    );
    const spec = containerCreateSpec('shop', 'boot-7', service);
    expect(spec).toEqual({
      name: 'bootwave-shop-api',
      image: 'bootwave-test/api:1',
      cmd: ['serve'],
      env: ['A=1'],
      labels: {
        team: 'core',
        'bootwave.plan': 'shop',
        'bootwave.service': 'api',
        'bootwave.boot': 'boot-7',
        'bootwave.spec': containerSpecHash('shop', service),
      },
      exposedPorts: { '80/tcp': {}, '53/udp': {} },
      portBindings: {
        '80/tcp': [
          { HostIp: '127.0.0.1', HostPort: '18801' },
          { HostIp: '127.0.0.1', HostPort: '18802' },
        ],
        '53/udp': [{ HostIp: '127.0.0.1', HostPort: '18803' }],
      },
      binds: ['/data:/data:ro'],
      memoryBytes: 1024,
      restartPolicy: { Name: 'on-failure', MaximumRetryCount: 3 },
      network: { name: 'bootwave-shop', aliases: ['api'] },
    });
  });

  it('turns the HEALTHCHECK timing into nanoseconds and a bare argv into exec form', () => {
    const timing = {
      intervalMs: 1000,
      timeoutMs: 500,
      retries: 4,
      successThreshold: 1,
      startPeriodMs: 2000,
      startIntervalMs: 100,
    };
    expect(
      containerCreateSpec('p', 'b', svc({ healthcheck: { test: ['redis-cli', 'ping'], timing } })).healthcheck,
    ).toEqual({
      Test: ['CMD', 'redis-cli', 'ping'],
      Interval: 1e9,
      Timeout: 5e8,
      Retries: 4,
      StartPeriod: 2e9,
      StartInterval: 1e8,
    });
    expect(
      containerCreateSpec('p', 'b', svc({ healthcheck: { test: ['CMD-SHELL', 'true'], timing } })).healthcheck?.Test,
    ).toEqual(['CMD-SHELL', 'true']);
    expect(containerCreateSpec('p', 'b', svc({ restart: 'no' })).restartPolicy).toEqual({ Name: '' });
  });

  it('scopes named networks to the plan, "default" being the plan network', () => {
    expect(containerNetworks('p', svc({ networks: ['backend', 'default'] }).target)).toEqual([
      'bootwave-p-backend',
      'bootwave-p',
    ]);
    expect(containerCreateSpec('p', 'b', svc({ networks: ['backend'] })).network).toEqual({
      name: 'bootwave-p-backend',
      aliases: ['api'],
    });
  });

  it('uses a network mode instead of networks: another service of the plan by its container, the rest as written', () => {
    expect(containerCreateSpec('p', 'b', svc({ networkMode: 'service:vpn' })).network).toEqual({
      mode: 'container:bootwave-p-vpn',
    });
    for (const mode of ['host', 'none', 'bridge', 'container:other'])
      expect(containerCreateSpec('p', 'b', svc({ networkMode: mode })).network).toEqual({ mode });
    expect(containerNetworks('p', svc({ networkMode: 'host' }).target)).toEqual([]);
  });

  it('gives aliases on every network and network aliases on their own network only', () => {
    const service = svc({
      networks: ['default', 'monitoring'],
      aliases: ['the-api'],
      networkAliases: { monitoring: ['metrics', 'the-api'] },
    });
    expect(serviceAliases(service)).toEqual([
      ['api', 'the-api'],
      ['api', 'the-api', 'metrics'],
    ]);
    expect(containerCreateSpec('p', 'b', service).network).toEqual({ name: 'bootwave-p', aliases: ['api', 'the-api'] });
    expect(serviceAliases(svc({ aliases: ['x'] }))).toEqual([['api', 'x']]);
  });

  it('passes a read-only root filesystem and extra groups to the engine', () => {
    expect(containerCreateSpec('p', 'b', svc({ readOnly: true, groupAdd: ['audio', '1001'] })).hostConfig).toEqual({
      ReadonlyRootfs: true,
      GroupAdd: ['audio', '1001'],
    });
  });

  it('changes the spec hash with the definition but not with the boot', () => {
    const a = svc({ command: ['a'] });
    expect(containerSpecHash('p', a)).toBe(containerSpecHash('p', svc({ command: ['a'] })));
    expect(containerSpecHash('p', a)).not.toBe(containerSpecHash('p', svc({ command: ['b'] })));
    expect(containerSpecHash('p', a)).not.toBe(containerSpecHash('p', svc({ command: ['a'] }, { memoryBytes: 1 })));
    // What the engine built is part of it; which ID a command's --build recorded in the plan is not.
    expect(containerSpecHash('p', a, 'sha256:one')).not.toBe(containerSpecHash('p', a, 'sha256:two'));
    expect(containerSpecHash('p', svc({ command: ['a'], builtImageId: 'sha256:one' }), 'sha256:one')).toBe(
      containerSpecHash('p', a, 'sha256:one'),
    );
    expect(containerCreateSpec('p', 'boot-1', a).labels['bootwave.spec']).toBe(
      containerCreateSpec('p', 'boot-2', a).labels['bootwave.spec'],
    );
  });
});

describe('Compose keys applied to the engine', () => {
  it('passes ulimits, shm_size, security_opt and the other engine keys in the Docker API shape', () => {
    const spec = containerCreateSpec(
      'shop',
      'boot-1',
      svc({
        aliases: ['gateway'],
        anonymousVolumes: ['/data'],
        user: '1000:1000',
        workingDir: '/srv',
        ulimits: [{ name: 'nofile', soft: 1024, hard: 2048 }],
        shmSizeBytes: 67108864,
        securityOpt: ['no-new-privileges:true'],
        capAdd: ['IPC_LOCK'],
        init: true,
      }),
    );
    expect(spec.network).toEqual({ name: 'bootwave-shop', aliases: ['api', 'gateway'] });
    expect(spec.config).toEqual({ User: '1000:1000', WorkingDir: '/srv', Volumes: { '/data': {} } });
    expect(spec.hostConfig).toEqual({
      CapAdd: ['IPC_LOCK'],
      Init: true,
      Ulimits: [{ Name: 'nofile', Soft: 1024, Hard: 2048 }],
      ShmSize: 67108864,
      SecurityOpt: ['no-new-privileges:true'],
    });
  });

  it('sets no extra fields for a target without them', () => {
    const spec = containerCreateSpec('shop', 'boot-1', svc({}));
    expect(spec.config).toBeUndefined();
    expect(spec.hostConfig).toBeUndefined();
  });

  it('keeps an empty HEALTHCHECK test: the engine then runs the image test with this timing', () => {
    const timing = {
      intervalMs: 1000,
      timeoutMs: 500,
      retries: 2,
      successThreshold: 1,
      startPeriodMs: 0,
      startIntervalMs: 250,
    };
    const spec = containerCreateSpec('shop', 'boot-1', svc({ healthcheck: { test: [], timing } }));
    expect(spec.healthcheck?.Test).toEqual([]);
    expect(spec.healthcheck?.Interval).toBe(1_000_000_000);
  });
});

describe('a disabled HEALTHCHECK (Compose disable: true, test: [NONE])', () => {
  it('is passed to the engine as Test ["NONE"], so the image HEALTHCHECK does not run', () => {
    const timing = defaultProbeTiming;
    const spec = containerCreateSpec('shop', 'boot-1', svc({ healthcheck: { test: ['NONE'], timing } }));
    expect(spec.healthcheck?.Test).toEqual(['NONE']);
  });
});
