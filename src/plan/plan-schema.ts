import { z } from 'zod';
import { parseDuration } from './duration';
import { httpUrlSchema } from './http-url-schema';
import { namePattern } from './name-pattern';
import { parseSize } from './size';
import { prometheusCheckSchema } from './prometheus-check-schema';
import { lazyField, supervisionFields } from './supervision-schema';
import { updateWindowFields } from './update-window-schema';
import { updateSectionSchema } from './update-schema';

/**
 * The user-facing plan file, as written (durations and sizes as strings). `loadPlanDocument` validates a parsed
 * document against it and resolves it into the plain `ResolvedPlan`. Objects are strict: an unknown field is an error.
 */

const nameRule =
  'must be lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters';
export const nameSchema = z.string().regex(namePattern, { message: nameRule });

/** Durations beyond a year are typos (and overflow the timers they become). */
export const maxDurationMs = 365 * 24 * 3_600_000;
/** A wave index beyond this is a typo: without a `waves` list, an index creates every wave up to it. */
export const maxWaveIndex = 999;

/** A value as messages show it: strings quoted, numbers as written (`Infinity`, not JSON's `null`). */
export function showValue(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

function durationRule(minMs: number) {
  return z
    .union([z.string(), z.number()])
    .superRefine((value, ctx) => {
      const parsed = parseDuration(value);
      if (parsed === undefined)
        ctx.addIssue({
          code: 'custom',
          message:
            typeof value === 'number'
              ? `invalid duration ${showValue(value)}: a number is whole milliseconds, 0 or more (or write 500ms, 1s, 2m)`
              : `invalid duration ${showValue(value)}: expected e.g. 250ms, 10s, 2m, 1m30s or milliseconds as a number`,
        });
      else if (parsed < minMs)
        ctx.addIssue({ code: 'custom', message: `must be longer than 0, got ${showValue(value)}` });
      else if (parsed > maxDurationMs)
        ctx.addIssue({ code: 'custom', message: `must be at most 365 days, got ${showValue(value)}` });
    })
    .meta({ description: 'A duration: 250ms, 10s, 2m, 1h, 1m30s, or milliseconds as a number' });
}
/** A duration that may be 0 (a start period, a stop grace). */
export const durationSchema = durationRule(0);
/** A duration that must be longer than 0 (an interval, a timeout): 0 would spin or give up at once. */
export const positiveDurationSchema = durationRule(1);

export const sizeSchema = z
  .union([z.string(), z.number()])
  .refine((value) => parseSize(value) !== undefined, {
    error: (issue) =>
      `invalid size ${showValue(issue.input)}: expected e.g. 512MiB, 1GiB, 1.5GB, 256MB or bytes as a number`,
  })
  .meta({ description: 'A memory size: 512MiB, 1GiB, 1.5GB, 256MB, or bytes as a number' });

/**
 * An integer in [min, max], also written as a numeric string so `${RETRIES:-3}` substitutes into it; either form is
 * range-checked.
 */
export function integerSchema(min: number, max: number, what = 'an integer') {
  return z
    .union([z.number(), z.string()])
    .superRefine((value, ctx) => {
      const n = typeof value === 'number' ? value : /^\s*[-+]?\d+\s*$/.test(value) ? Number(value) : Number.NaN;
      if (!Number.isInteger(n) || n < min || n > max)
        ctx.addIssue({ code: 'custom', message: `must be ${what} from ${min} to ${max}, got ${showValue(value)}` });
    })
    .transform((value) => Number(value));
}

/** A port, also as a numeric string so `${PORT:-18001}` substitutes into it. */
const portSchema = integerSchema(1, 65535, 'a port number');
const stringMap = z.record(z.string(), z.string());

/** Where a secret comes from (`SecretSource`): a reference the worker resolves at start, never the value itself. */
export const secretSourceSchema = z.union([
  z.strictObject({ env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'must be a variable name' }) }),
  z.strictObject({ file: z.string().min(1) }),
  z.strictObject({
    kubernetes: z.strictObject({
      name: z.string().min(1),
      key: z.string().min(1),
      namespace: z.string().min(1).optional(),
      context: z.string().min(1).optional(),
    }),
  }),
  z.strictObject({
    docker: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, { message: 'must be a secret name' }),
  }),
]);
/** An env value that names a secret instead of holding it: `{ secret: { env: DB_PASSWORD } }`. */
export const secretValueSchema = z.strictObject({ secret: secretSourceSchema }).meta({
  description: 'A secret reference, resolved on the worker at start: { secret: { env | file | kubernetes | docker } }',
});
/** A service's environment: plain values (recorded in the boot's history) or secret references (never recorded). */
const envMap = z.record(z.string(), z.union([z.string(), secretValueSchema]));
/** A secret as a read-only file in the container (Compose `secrets:`). */
export const secretFileSchema = z.strictObject({
  source: secretSourceSchema,
  target: z.string().regex(/^\//, { message: 'must be an absolute container path' }),
});
const argv = z
  .array(z.string())
  .min(1, { message: 'must have at least one element (the executable)' })
  .refine((args) => args.length === 0 || args[0]!.trim() !== '', {
    message: 'the executable (the first element) must not be empty',
  });

function validRegex(text: string): boolean {
  return regexProblem(text) === undefined;
}

function regexProblem(text: string): string | undefined {
  try {
    new RegExp(text);
    return undefined;
  } catch (error) {
    // "Invalid regular expression: /(/: Unterminated group" → "unterminated group"
    const reason = (error instanceof Error ? error.message : '').split(': ').pop() ?? '';
    return reason.charAt(0).toLowerCase() + reason.slice(1) || 'not a regular expression';
  }
}

export const httpCheckSchema = z.strictObject({
  kind: z.literal('http'),
  url: httpUrlSchema(),
  method: z.enum(['GET', 'HEAD', 'POST']).optional(),
  expectStatus: z.array(z.number().int().min(100).max(599)).optional(),
  bodyMatch: z
    .string()
    .refine((text) => validRegex(text), {
      error: (issue) => `invalid regular expression ${showValue(issue.input)}: ${regexProblem(String(issue.input))}`,
    })
    .optional(),
  headers: stringMap.optional(),
});
export const tcpCheckSchema = z.strictObject({
  kind: z.literal('tcp'),
  host: z.string().min(1),
  port: portSchema,
  send: z.string().optional(),
  expect: z.string().optional(),
});
export const execCheckSchema = z.strictObject({
  kind: z.literal('exec'),
  argv,
  env: stringMap.optional(),
  cwd: z.string().optional(),
});
export const leafCheckSchema = z.discriminatedUnion('kind', [
  httpCheckSchema,
  tcpCheckSchema,
  execCheckSchema,
  prometheusCheckSchema,
]);
export const compositeCheckSchema = z.strictObject({
  kind: z.literal('composite'),
  checks: z.array(leafCheckSchema).min(1, { message: 'composite check needs at least one check' }),
});
export const stageSchema = z.strictObject({
  name: z.string().min(1),
  check: z.discriminatedUnion('kind', [
    httpCheckSchema,
    tcpCheckSchema,
    execCheckSchema,
    prometheusCheckSchema,
    compositeCheckSchema,
  ]),
  timeout: positiveDurationSchema,
  critical: z.boolean().optional(),
});
export const stagedCheckSchema = z.strictObject({
  kind: z.literal('staged'),
  stages: z.array(stageSchema).min(1, { message: 'staged check needs at least one stage' }),
});
export const checkSchema = z.discriminatedUnion('kind', [
  httpCheckSchema,
  tcpCheckSchema,
  execCheckSchema,
  prometheusCheckSchema,
  compositeCheckSchema,
  stagedCheckSchema,
]);

const timingFields = {
  interval: positiveDurationSchema.optional(),
  timeout: positiveDurationSchema.optional(),
  retries: integerSchema(1, 1_000_000).optional(),
  successThreshold: integerSchema(1, 1_000_000).optional(),
  startPeriod: durationSchema.optional(),
  startInterval: positiveDurationSchema.optional(),
};
export const timingSchema = z.strictObject(timingFields);

export const preCheckSchema = z.strictObject({
  service: z.string(),
  check: leafCheckSchema,
  required: z.boolean().optional(),
});

export const healthSchema = z.strictObject({
  check: checkSchema,
  ...timingFields,
  preChecks: z.array(preCheckSchema).optional(),
});

export const processSchema = z.strictObject({
  command: argv,
  env: envMap.optional(),
  cwd: z.string().optional(),
  stopGrace: durationSchema.optional(),
});

/**
 * `[hostIp:]hostPort:containerPort[/tcp|udp]`, read as Compose reads it: the last two `:`-parts are the ports and
 * whatever precedes them is the host IP, so an IPv6 one is written in brackets (`[::1]:8080:80`) or bare
 * (`::1:8080:80`). Groups: 1 bracketed IP, 2 bare IP, 3 host port, 4 container port, 5 protocol.
 */
export const portMappingPattern =
  /^(?:(?:\[([0-9A-Fa-f:.]+)\]|([0-9A-Fa-f:.]+)):)?(\d{1,5}):(\d{1,5})(?:\/(tcp|udp))?$/;
const portMappingRule = 'must be [hostIp:]hostPort:containerPort[/tcp|udp]';

function validIpv4(text: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(text) && text.split('.').every((octet) => Number(octet) <= 255);
}

/** An IPv4 or IPv6 address as the Docker API takes a port's HostIp (no brackets, no zone). */
export function validHostIp(text: string): boolean {
  if (validIpv4(text)) return true;
  // An IPv4 tail (`::ffff:127.0.0.1`) stands for the last two groups.
  const tail = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail && !validIpv4(tail[2]!)) return false;
  const body = tail ? `${tail[1]}0:0` : text;
  const halves = body.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((half) => (half === '' ? [] : half.split(':')));
  if (!groups.every((group) => /^[0-9A-Fa-f]{1,4}$/.test(group))) return false;
  return halves.length === 2 ? groups.length <= 7 : groups.length === 8;
}

/** What is wrong with a port mapping, in every part that can be out of range; undefined when it is fine. */
export function portMappingProblem(text: string): string | undefined {
  const match = portMappingPattern.exec(text);
  if (!match) return `${showValue(text)} ${portMappingRule}`;
  const [, bracketed, bare, host, container] = match;
  const ip = bracketed ?? bare;
  if (ip !== undefined && !validHostIp(ip)) return `invalid host IP ${ip} in ${showValue(text)}`;
  for (const [part, value] of [
    ['host port', host],
    ['container port', container],
  ] as const)
    if (Number(value) < 1 || Number(value) > 65535)
      return `${part} must be from 1 to 65535, got ${Number(value)} in ${showValue(text)}`;
  return undefined;
}
export const dockerSchema = z.strictObject({
  image: z.string().min(1),
  /** Built (and tagged `image`) when the engine does not have the image; `context` is relative to the plan file. */
  build: z
    .strictObject({
      context: z.string().min(1),
      dockerfile: z.string().min(1).optional(),
      args: stringMap.optional(),
      target: z.string().min(1).optional(),
    })
    .optional(),
  command: z.array(z.string()).optional(),
  entrypoint: z.array(z.string()).optional(),
  env: envMap.optional(),
  secrets: z.array(secretFileSchema).optional(),
  ports: z
    .array(
      z.string().superRefine((text, ctx) => {
        const problem = portMappingProblem(text);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      }),
    )
    .optional(),
  volumes: z.array(z.string()).optional(),
  networks: z.array(z.string()).optional(),
  /**
   * The container's network stack instead of the plan's networks, as Docker's `--network`: `host`, `none`,
   * `bridge` (the engine's default bridge), `service:<name>` (another service's container) or `container:<name>`.
   */
  networkMode: z
    .string()
    .regex(/^(host|none|bridge|(service|container):.+)$/, {
      message: 'must be host, none, bridge, service:<name> or container:<name>',
    })
    .optional(),
  labels: stringMap.optional(),
  restart: z.enum(['no', 'always', 'on-failure', 'unless-stopped']).optional(),
  restartMaxAttempts: integerSchema(1, 1_000_000).optional(),
  /** `test: []` keeps the image's HEALTHCHECK test with this timing. */
  healthcheck: z.strictObject({ test: z.array(z.string()), ...timingFields }).optional(),
  stopGrace: durationSchema.optional(),
  aliases: z.array(z.string().min(1)).optional(),
  networkAliases: z.record(z.string(), z.array(z.string().min(1))).optional(),
  anonymousVolumes: z.array(z.string().regex(/^\//, { message: 'must be an absolute container path' })).optional(),
  user: z.string().optional(),
  workingDir: z.string().optional(),
  hostname: z.string().optional(),
  capAdd: z.array(z.string()).optional(),
  capDrop: z.array(z.string()).optional(),
  privileged: z.boolean().optional(),
  readOnly: z.boolean().optional(),
  /** Group names or numeric IDs, as Compose's `group_add`. */
  groupAdd: z.array(z.union([z.string().min(1), z.number().int().min(0)])).optional(),
  init: z.boolean().optional(),
  extraHosts: z.array(z.string()).optional(),
  dns: z.array(z.string()).optional(),
  sysctls: stringMap.optional(),
  tmpfs: stringMap.optional(),
  ulimits: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        soft: integerSchema(-1, Number.MAX_SAFE_INTEGER),
        hard: integerSchema(-1, Number.MAX_SAFE_INTEGER),
      }),
    )
    .optional(),
  shmSize: sizeSchema.optional(),
  securityOpt: z.array(z.string()).optional(),
  stopSignal: z.string().optional(),
});

export const kubernetesSchema = z.strictObject({
  manifests: z.array(z.string().min(1)).optional(),
  inline: z.array(z.string().min(1)).optional(),
  namespace: nameSchema.optional(),
  context: z.string().optional(),
  waitForEndpoints: z.boolean().optional(),
});

export const dependencySchema = z.union([
  z.string(),
  z.strictObject({
    service: z.string(),
    kind: z.enum(['requires', 'wants']).optional(),
    condition: z.enum(['started', 'healthy', 'completed']).optional(),
  }),
]);

export const serviceSchema = z.strictObject({
  wave: z.union([nameSchema, z.number().int().min(0).max(maxWaveIndex)]).optional(),
  process: processSchema.optional(),
  docker: dockerSchema.optional(),
  kubernetes: kubernetesSchema.optional(),
  dependsOn: z.array(dependencySchema).optional(),
  health: healthSchema.optional(),
  critical: z.boolean().optional(),
  oneShot: z.boolean().optional(),
  resources: z.strictObject({ memory: sizeSchema.optional() }).optional(),
  startTimeout: positiveDurationSchema.optional(),
  expectedStart: durationSchema.optional(),
  profiles: z.array(nameSchema).optional(),
  /** The host it runs on: a `bootwave worker --host <name>` there starts, probes and stops it. */
  host: nameSchema.optional(),
  ...supervisionFields(durationSchema),
  ...lazyField(durationSchema),
});

export const waveSchema = z.strictObject({
  name: nameSchema,
  memoryBudget: sizeSchema.optional(),
  deadline: positiveDurationSchema.optional(),
  /** The host of the wave's services that name none. */
  host: nameSchema.optional(),
});

export const defaultsSchema = z.strictObject({
  health: timingSchema.optional(),
  startTimeout: positiveDurationSchema.optional(),
  stopGrace: durationSchema.optional(),
  expectedStart: durationSchema.optional(),
  ...supervisionFields(durationSchema),
});

/** The whole plan file. */
export const planSchema = z.strictObject({
  $schema: z.string().optional(),
  name: nameSchema,
  defaults: defaultsSchema.optional(),
  waves: z.array(waveSchema).optional(),
  services: z.record(z.string(), serviceSchema),
  /** How `bootwave update` rolls changes out (batches, health window, order) and when (maintenance windows). */
  update: updateSectionSchema(durationSchema).extend(updateWindowFields(positiveDurationSchema)).optional(),
});

export type PlanFile = z.infer<typeof planSchema>;
export type ServiceFile = z.infer<typeof serviceSchema>;
export type CheckFile = z.infer<typeof checkSchema>;
export type LeafCheckFile = z.infer<typeof leafCheckSchema>;
export type TimingFile = z.infer<typeof timingSchema>;
