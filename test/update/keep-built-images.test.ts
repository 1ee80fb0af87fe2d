import type { DockerTarget, ResolvedPlan, ServiceSpec } from '../../src/plan/types';
import { keepBuiltImages } from '../../src/update/keep-built-images';
import { diffPlans } from '../../src/update/plan-diff';
import { dockerService } from '../support/docker';
import { processService } from '../support/service-spec';

const web = (patch: Partial<DockerTarget> = {}): ServiceSpec =>
  dockerService('web', { image: 'shop-web', build: { context: '/src/web' }, ...patch });

const planOf = (...services: ServiceSpec[]): ResolvedPlan => ({
  name: 'shop',
  source: '/shop/compose.yaml',
  waves: [{ name: 'apps', index: 0, services: services.map((s) => s.name) }],
  services,
});

const kinds = (running: ResolvedPlan, next: ResolvedPlan) =>
  diffPlans(running, keepBuiltImages(running, next)).map((c) => `${c.service} ${c.kind}`);

describe('keepBuiltImages', () => {
  const running = planOf(web({ builtImageId: 'sha256:one' }), processService({ name: 'worker' }));

  it('an update that built nothing keeps the running image: a built service is unchanged', () => {
    const next = planOf(web(), processService({ name: 'worker' }));
    expect(kinds(running, next)).toEqual(['web unchanged', 'worker unchanged']);
    expect(keepBuiltImages(running, next).services[0]!.target).toMatchObject({ builtImageId: 'sha256:one' });
  });

  it('a rebuilt image is a change; the same image built again is not', () => {
    expect(kinds(running, planOf(web({ builtImageId: 'sha256:two' })))).toEqual(['web changed', 'worker removed']);
    expect(kinds(running, planOf(web({ builtImageId: 'sha256:one' })))).toEqual(['web unchanged', 'worker removed']);
  });

  it('keeps nothing for a service that now runs another image, or no longer builds', () => {
    expect(kinds(running, planOf(web({ image: 'shop-web2' })))[0]).toBe('web changed');
    const pulled = keepBuiltImages(running, planOf(web({ build: undefined, image: 'shop-web' })));
    expect(pulled.services[0]!.target).not.toHaveProperty('builtImageId');
  });

  it('leaves a plan alone when nothing ran built, and a malformed request for the update to refuse', () => {
    const next = planOf(web());
    expect(keepBuiltImages(planOf(web()), next)).toBe(next);
    const malformed = { name: 'shop' } as unknown as ResolvedPlan;
    expect(keepBuiltImages(running, malformed)).toBe(malformed);
  });
});
