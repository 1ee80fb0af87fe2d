import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

type ComposeService = {
  image?: string;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  command?: string[];
};

const file = join(__dirname, '..', '..', 'docker-compose.temporal.yml');
const compose = parse(readFileSync(file, 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };
const services = compose.services;

describe('docker-compose.temporal.yml', () => {
  it('names only services that exist in every depends_on', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const dependency of Object.keys(service.depends_on ?? {})) {
        expect({ service: name, dependency, exists: dependency in services }).toEqual({
          service: name,
          dependency,
          exists: true,
        });
      }
    }
  });

  it.each([
    ['temporal-schema', 'postgresql', 'service_healthy'],
    ['temporal', 'temporal-schema', 'service_completed_successfully'],
    ['temporal-namespace', 'temporal', 'service_healthy'],
    ['temporal-ui', 'temporal', 'service_healthy'],
    ['temporal-ui', 'temporal-namespace', 'service_completed_successfully'],
  ])('gates %s on %s being %s', (service, dependency, condition) => {
    expect(services[service]?.depends_on?.[dependency]?.condition).toBe(condition);
  });

  it('health-checks every service that others wait to be healthy', () => {
    const awaitedHealthy = Object.values(services).flatMap((s) =>
      Object.entries(s.depends_on ?? {})
        .filter(([, d]) => d.condition === 'service_healthy')
        .map(([name]) => name),
    );
    for (const name of new Set(awaitedHealthy)) expect(services[name]?.healthcheck?.test).toBeDefined();
  });

  it('registers bootwave search attributes when creating the namespace', () => {
    const script = services['temporal-namespace']?.command?.join('\n') ?? '';
    expect(script).toContain('BootwavePlan BootwaveStatus');
    expect(script).toContain('search-attribute create');
  });

  it('pins every image to a version', () => {
    for (const service of Object.values(services)) expect(service.image).toMatch(/:\$\{[A-Z_]+:-[\d.]+\}$/);
  });
});
