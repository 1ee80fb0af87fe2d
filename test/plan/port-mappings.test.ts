import { loadPlanDocument } from '../../src/plan/load-plan-document';
import { portMappingProblem, validHostIp } from '../../src/plan/plan-schema';
import { parsePortMapping } from '../../src/plan/resolve-service-parts';
import type { DockerTarget } from '../../src/plan/types';

function ports(list: string[]) {
  const result = loadPlanDocument(
    { name: 'p', services: { web: { docker: { image: 'busybox:1', ports: list } } } },
    { file: '/plans/p/plan.yaml', env: {} },
  );
  return result.ok
    ? { ports: (result.plan.services[0]!.target as DockerTarget).ports, errors: [] }
    : { ports: [], errors: result.errors.map((e) => `${e.path}: ${e.message}`) };
}

describe('docker.ports in a plan', () => {
  test('an IPv6 host IP, in brackets or bare, goes to the engine without brackets', () => {
    expect(ports(['[::1]:18081:80', '::1:18082:81/udp', '[2001:db8::1]:18083:82', '[::]:18084:83']).ports).toEqual([
      { hostIp: '::1', hostPort: 18081, containerPort: 80, protocol: 'tcp' },
      { hostIp: '::1', hostPort: 18082, containerPort: 81, protocol: 'udp' },
      { hostIp: '2001:db8::1', hostPort: 18083, containerPort: 82, protocol: 'tcp' },
      { hostIp: '::', hostPort: 18084, containerPort: 83, protocol: 'tcp' },
    ]);
  });

  test('IPv4 forms and the 127.0.0.1 default are read as before', () => {
    expect(parsePortMapping('18080:80')).toEqual({
      hostIp: '127.0.0.1',
      hostPort: 18080,
      containerPort: 80,
      protocol: 'tcp',
    });
    expect(parsePortMapping('0.0.0.0:18443:443/udp')).toEqual({
      hostIp: '0.0.0.0',
      hostPort: 18443,
      containerPort: 443,
      protocol: 'udp',
    });
  });

  test('a bad host IP or port is reported with the mapping as written', () => {
    expect(
      ports(['[::1::2]:18081:80', '999.1.1.1:80:80', '1:2:3', '[::1]:70000:80', '::ffff:1.2.3.400:80:80']).errors,
    ).toEqual([
      'services.web.docker.ports[0]: invalid host IP ::1::2 in "[::1::2]:18081:80"',
      'services.web.docker.ports[1]: invalid host IP 999.1.1.1 in "999.1.1.1:80:80"',
      'services.web.docker.ports[2]: invalid host IP 1 in "1:2:3"',
      'services.web.docker.ports[3]: host port must be from 1 to 65535, got 70000 in "[::1]:70000:80"',
      'services.web.docker.ports[4]: invalid host IP ::ffff:1.2.3.400 in "::ffff:1.2.3.400:80:80"',
    ]);
    expect(portMappingProblem('[::1]80:80')).toBe('"[::1]80:80" must be [hostIp:]hostPort:containerPort[/tcp|udp]');
  });

  test.each([
    ['::1', true],
    ['::', true],
    ['fe80::a:1', true],
    ['2001:db8:0:0:0:0:0:1', true],
    ['::ffff:127.0.0.1', true],
    ['127.0.0.1', true],
    ['2001:db8:0:0:0:0:0:0:1', false],
    ['1::2::3', false],
    [':1::', false],
    ['fe80::1%eth0', false],
    ['[::1]', false],
    ['12345::1', false],
    ['localhost', false],
  ])('validHostIp(%s) is %s', (ip, valid) => {
    expect(validHostIp(ip)).toBe(valid);
  });
});
