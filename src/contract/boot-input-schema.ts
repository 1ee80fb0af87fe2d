import { z } from 'zod';
import { FailurePolicies, Strategies, defaultBootOptions, type BootInput } from '../plan/boot-input';
import { formatPath } from '../plan/plan-issue';
import { DependencyConditions, DependencyKinds, type ResolvedPlan } from '../plan/types';
import { schemaProblems } from '../plan/zod-issues';

/**
 * The shape of a boot's input, checked by the workflows themselves: a boot started from the Temporal CLI or Web UI
 * with hand-written JSON gets every problem listed at once instead of a workflow task that fails forever.
 * Pure and deterministic, so workflow code runs it. Unknown fields are tolerated (inputs of newer clients).
 */
const nonNegative = z.number().int().nonnegative();
const positive = z.number().int().min(1);
const stringMap = z.record(z.string(), z.string());

const timing = z.object({
  intervalMs: positive,
  timeoutMs: positive,
  retries: nonNegative,
  successThreshold: positive,
  startPeriodMs: nonNegative,
  startIntervalMs: positive,
});

const leafProbe = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('http'),
    url: z.string().min(1),
    method: z.enum(['GET', 'HEAD', 'POST']).optional(),
    expectStatus: z.array(z.number().int()),
    bodyMatch: z.string().optional(),
    headers: stringMap.optional(),
  }),
  z.object({
    kind: z.literal('tcp'),
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535),
    send: z.string().optional(),
    expect: z.string().optional(),
  }),
  z.object({
    kind: z.literal('exec'),
    argv: z.array(z.string()).min(1),
    env: stringMap.optional(),
    cwd: z.string().optional(),
  }),
  z.object({
    kind: z.literal('prometheus'),
    url: z.string().min(1),
    query: z.string().min(1),
    below: z.number().optional(),
    above: z.number().optional(),
    equals: z.number().optional(),
  }),
]);
const compositeProbe = z.object({ kind: z.literal('composite'), checks: z.array(leafProbe).min(1) });
const probe = z.discriminatedUnion('kind', [
  ...leafProbe.options,
  compositeProbe,
  z.object({
    kind: z.literal('staged'),
    stages: z
      .array(
        z.object({
          name: z.string().min(1),
          check: z.discriminatedUnion('kind', [...leafProbe.options, compositeProbe]),
          timeoutMs: positive,
          critical: z.boolean(),
        }),
      )
      .min(1),
  }),
]);

const port = z.number().int().min(0).max(65535);
const target = z.discriminatedUnion('driver', [
  z.object({
    driver: z.literal('process'),
    command: z.array(z.string()).min(1),
    env: stringMap,
    cwd: z.string().optional(),
    stopGraceMs: nonNegative,
  }),
  z.object({
    driver: z.literal('docker'),
    image: z.string().min(1),
    command: z.array(z.string()).optional(),
    entrypoint: z.array(z.string()).optional(),
    env: stringMap,
    ports: z.array(
      z.object({ hostIp: z.string(), hostPort: port, containerPort: port, protocol: z.enum(['tcp', 'udp']) }),
    ),
    volumes: z.array(z.string()),
    networks: z.array(z.string()),
    labels: stringMap,
    restart: z.enum(['no', 'always', 'on-failure', 'unless-stopped']),
    restartMaxAttempts: nonNegative.optional(),
    healthcheck: z.object({ test: z.array(z.string()), timing }).optional(),
    stopGraceMs: nonNegative,
  }),
  z.object({
    driver: z.literal('kubernetes'),
    manifests: z.array(z.string()),
    manifestDigest: z.string().optional(),
    inline: z.array(z.string()),
    namespace: z.string().min(1),
    context: z.string().optional(),
    waitForEndpoints: z.boolean(),
  }),
]);

const service = z.object({
  name: z.string().min(1),
  wave: z.string().min(1),
  target,
  dependsOn: z.array(
    z.object({
      service: z.string().min(1),
      kind: z.enum(DependencyKinds),
      condition: z.enum(DependencyConditions),
    }),
  ),
  critical: z.boolean(),
  oneShot: z.boolean(),
  health: z
    .object({
      probe,
      timing,
      preChecks: z.array(z.object({ service: z.string(), check: leafProbe, required: z.boolean() })),
    })
    .optional(),
  startTimeoutMs: positive,
  expectedStartMs: nonNegative,
  memoryBytes: nonNegative.optional(),
  profiles: z.array(z.string()),
  // A DNS label, as the plan file's names: it becomes part of a task queue's name (`src/contract/task-queues.ts`).
  host: z
    .string()
    .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, {
      message: 'must be a host name: lowercase letters, digits and "-"',
    })
    .optional(),
});

const plan = z.object({
  name: z.string().min(1),
  source: z.string(),
  waves: z
    .array(
      z.object({
        name: z.string().min(1),
        index: nonNegative,
        memoryBudgetBytes: nonNegative.optional(),
        deadlineMs: positive.optional(),
        host: z.string().min(1).optional(),
        services: z.array(z.string()),
      }),
    )
    .min(1),
  services: z.array(service).min(1),
});

const options = z.object({
  strategy: z.enum(Strategies).optional(),
  onFailure: z.enum(FailurePolicies).optional(),
  maxParallel: positive.optional(),
  rollbackTimeoutMs: positive.optional(),
});

const bootInput = z.object({ plan, options: options.optional() });

// Keeps the schema and the hand-written types in step: this fails to compile when they drift apart.
const planMatchesType: (parsed: z.infer<typeof plan>) => ResolvedPlan = (parsed) => parsed;
void planMatchesType;

export type BootInputCheck = { ok: true; input: BootInput } | { ok: false; problems: string[] };

/**
 * Checks a boot's input: its shape, then that waves and services name each other consistently. A bare plan
 * (without the `{ plan, options }` wrapper) is accepted as a plan with default options.
 */
export function checkBootInput(raw: unknown): BootInputCheck {
  const wrapped = isBarePlan(raw) ? { plan: raw } : raw;
  const parsed = bootInput.safeParse(wrapped, { reportInput: true });
  if (!parsed.success) {
    const problems = schemaProblems(bootInput, parsed.error.issues);
    return { ok: false, problems: problems.map((p) => `${formatPath(p.path) || 'input'}: ${p.message}`) };
  }
  const input = wrapped as BootInput;
  const problems = referenceProblems(input.plan);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, input: { plan: input.plan, options: { ...defaultBootOptions, ...input.options } } };
}

function isBarePlan(raw: unknown): boolean {
  return raw !== null && typeof raw === 'object' && !('plan' in raw) && 'services' in raw && 'waves' in raw;
}

/** Names that must agree: wave members exist and sit in that wave, dependencies exist, each service in one wave. */
function referenceProblems(plan: ResolvedPlan): string[] {
  const problems: string[] = [];
  const services = new Map(plan.services.map((s, i) => [s.name, i]));
  const waveOf = new Map<string, string>();
  const waveIndex = (name: string) => plan.waves.findIndex((w) => w.name === name);
  if (services.size !== plan.services.length) problems.push('plan.services: service names must be unique');
  plan.waves.forEach((wave, w) => {
    if (wave.index !== w) problems.push(`plan.waves[${w}].index: must be ${w}, got ${wave.index}`);
    wave.services.forEach((name, s) => {
      const at = `plan.waves[${w}].services[${s}]`;
      if (!services.has(name)) problems.push(`${at}: no service named ${JSON.stringify(name)}`);
      else if (waveOf.has(name)) problems.push(`${at}: ${name} is already in wave ${waveOf.get(name)}`);
      waveOf.set(name, wave.name);
    });
  });
  plan.services.forEach((service, i) => {
    const wave = waveOf.get(service.name);
    if (wave === undefined) problems.push(`plan.services[${i}]: ${service.name} is in no wave's services`);
    else if (wave !== service.wave)
      problems.push(`plan.services[${i}].wave: ${service.name} is listed in wave ${wave}, not ${service.wave}`);
    service.dependsOn.forEach((dependency, d) => {
      const at = `plan.services[${i}].dependsOn[${d}].service`;
      const dependencyWave = waveOf.get(dependency.service);
      if (!services.has(dependency.service))
        problems.push(`${at}: no service named ${JSON.stringify(dependency.service)}`);
      else if (wave !== undefined && dependencyWave !== undefined && waveIndex(dependencyWave) > waveIndex(wave))
        problems.push(`${at}: ${dependency.service} boots in a later wave (${dependencyWave}) than ${service.name}`);
    });
  });
  return problems;
}

const waveInput = z.object({
  plan: z.string().min(1),
  bootId: z.string(),
  wave: plan.shape.waves.element,
  services: z.array(service),
  options,
  known: z.record(z.string(), z.string()),
  subscribers: z.record(z.string(), z.array(z.string())),
  paused: z.boolean(),
});

/** Checks a wave's input (what its boot passes it, or a hand-started wave); every problem, with its path. */
export function checkWaveServices(raw: unknown): string[] {
  const parsed = waveInput.safeParse(raw, { reportInput: true });
  if (parsed.success) return [];
  return schemaProblems(waveInput, parsed.error.issues).map((p) => `${formatPath(p.path) || 'input'}: ${p.message}`);
}

/** Checks a plan given on its own (`bootwave down`'s teardown input). */
export function checkPlan(raw: unknown): string[] {
  const parsed = plan.safeParse(raw, { reportInput: true });
  if (!parsed.success)
    return schemaProblems(plan, parsed.error.issues).map((p) => `${formatPath(p.path) || 'plan'}: ${p.message}`);
  return referenceProblems(raw as ResolvedPlan);
}
