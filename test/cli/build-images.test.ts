import { elsewhereWarnings } from '../../src/cli/build-images';
import type { DockerTarget, ResolvedPlan, ServiceSpec } from '../../src/plan/types';
import { dockerService } from '../support/docker';

const built = (name: string, host?: string, patch: Partial<DockerTarget> = {}): ServiceSpec =>
  dockerService(name, { image: `shop-${name}`, build: { context: `/src/${name}` }, ...patch }, host ? { host } : {});

const planOf = (...services: ServiceSpec[]): ResolvedPlan => ({
  name: 'shop',
  source: '/shop/compose.yaml',
  waves: [{ name: 'w0', index: 0, services: services.map((s) => s.name) }],
  services,
});

describe('--build and placement', () => {
  it('warns of each built service placed on a host of its own, and of nothing else', () => {
    const plan = planOf(
      built('web'),
      built('edge', 'edge-1'),
      built('cache', 'edge-1', { build: undefined, image: 'redis:7' }),
    );
    expect(elsewhereWarnings(plan)).toEqual([
      "edge runs on host edge-1: --build builds shop-edge on this machine's engine; unless that host's worker uses the same engine, build it there too (its engine builds it only when it has none)",
    ]);
    expect(elsewhereWarnings(planOf(built('web')))).toEqual([]);
  });
});
