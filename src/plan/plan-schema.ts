import { z } from 'zod';
import { parseDuration } from './duration';
import { parseSize } from './size';
import { lazyField, supervisionFields } from './supervision-schema';

/**
 * The user-facing plan file, as written (durations and sizes as strings). `loadPlanDocument` validates a parsed
 * document against it and resolves it into the plain `ResolvedPlan`. Objects are strict: an unknown field is an error.
 */

/** DNS-label-like names: they become parts of workflow IDs, container names and Kubernetes resource names. */
export const namePattern = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const nameRule =
  'must be lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters';
export const nameSchema = z.string().regex(namePattern, { message: nameRule });

export const durationSchema = z
  .union([z.string(), z.number()])
  .refine((value) => parseDuration(value) !== undefined, {
    error: (issue) =>
      `invalid duration ${JSON.stringify(issue.input)}: expected e.g. 250ms, 10s, 2m, 1m30s or milliseconds as a number`,
  })
  .meta({ description: 'A duration: 250ms, 10s, 2m, 1h, 1m30s, or milliseconds as a number' });

export const sizeSchema = z
  .union([z.string(), z.number()])
  .refine((value) => parseSize(value) !== undefined, {
    error: (issue) =>
      `invalid size ${JSON.stringify(issue.input)}: expected e.g. 512MiB, 1GiB, 1.5GB, 256MB or bytes as a number`,
  })
  .meta({ description: 'A memory size: 512MiB, 1GiB, 1.5GB, 256MB, or bytes as a number' });

/** A port, also as a numeric string so `${PORT:-18001}` substitutes into it. */
const portSchema = z.union([
  z.number().int().min(1).max(65535),
  z.string().regex(/^\d{1,5}$/, { message: 'must be a port number' }),
]);
const stringMap = z.record(z.string(), z.string());
const argv = z.array(z.string()).min(1, { message: 'must have at least one element (the executable)' });

export const httpCheckSchema = z.strictObject({
  kind: z.literal('http'),
  url: z.string().regex(/^https?:\/\/.+/, { message: 'must be an http:// or https:// URL' }),
  method: z.enum(['GET', 'HEAD', 'POST']).optional(),
  expectStatus: z.array(z.number().int().min(100).max(599)).optional(),
  bodyMatch: z.string().optional(),
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
export const leafCheckSchema = z.discriminatedUnion('kind', [httpCheckSchema, tcpCheckSchema, execCheckSchema]);
export const compositeCheckSchema = z.strictObject({
  kind: z.literal('composite'),
  checks: z.array(leafCheckSchema).min(1, { message: 'composite check needs at least one check' }),
});
export const stageSchema = z.strictObject({
  name: z.string().min(1),
  check: z.discriminatedUnion('kind', [httpCheckSchema, tcpCheckSchema, execCheckSchema, compositeCheckSchema]),
  timeout: durationSchema,
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
  compositeCheckSchema,
  stagedCheckSchema,
]);

const timingFields = {
  interval: durationSchema.optional(),
  timeout: durationSchema.optional(),
  retries: z.number().int().min(1).optional(),
  successThreshold: z.number().int().min(1).optional(),
  startPeriod: durationSchema.optional(),
  startInterval: durationSchema.optional(),
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
  env: stringMap.optional(),
  cwd: z.string().optional(),
  stopGrace: durationSchema.optional(),
});

export const portMappingPattern = /^(?:(\d{1,3}(?:\.\d{1,3}){3}):)?(\d{1,5}):(\d{1,5})(?:\/(tcp|udp))?$/;
export const dockerSchema = z.strictObject({
  image: z.string().min(1),
  command: z.array(z.string()).optional(),
  entrypoint: z.array(z.string()).optional(),
  env: stringMap.optional(),
  ports: z
    .array(z.string().regex(portMappingPattern, { message: 'must be [hostIp:]hostPort:containerPort[/tcp|udp]' }))
    .optional(),
  volumes: z.array(z.string()).optional(),
  networks: z.array(z.string()).optional(),
  labels: stringMap.optional(),
  restart: z.enum(['no', 'always', 'on-failure', 'unless-stopped']).optional(),
  restartMaxAttempts: z.number().int().min(1).optional(),
  healthcheck: z.strictObject({ test: argv, ...timingFields }).optional(),
  stopGrace: durationSchema.optional(),
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
  wave: z.union([nameSchema, z.number().int().min(0)]).optional(),
  process: processSchema.optional(),
  docker: dockerSchema.optional(),
  kubernetes: kubernetesSchema.optional(),
  dependsOn: z.array(dependencySchema).optional(),
  health: healthSchema.optional(),
  critical: z.boolean().optional(),
  oneShot: z.boolean().optional(),
  resources: z.strictObject({ memory: sizeSchema.optional() }).optional(),
  startTimeout: durationSchema.optional(),
  expectedStart: durationSchema.optional(),
  profiles: z.array(nameSchema).optional(),
  ...supervisionFields(durationSchema),
  ...lazyField(durationSchema),
});

export const waveSchema = z.strictObject({
  name: nameSchema,
  memoryBudget: sizeSchema.optional(),
  deadline: durationSchema.optional(),
});

export const defaultsSchema = z.strictObject({
  health: timingSchema.optional(),
  startTimeout: durationSchema.optional(),
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
});

export type PlanFile = z.infer<typeof planSchema>;
export type ServiceFile = z.infer<typeof serviceSchema>;
export type CheckFile = z.infer<typeof checkSchema>;
export type LeafCheckFile = z.infer<typeof leafCheckSchema>;
export type TimingFile = z.infer<typeof timingSchema>;
