import { z } from 'zod';
import type { BatchSize, UpdatePolicy } from './types';
import { UpdateOrders } from './types';
import { parseDuration } from './duration';

/** `12` or `"12"`: a count; `"25%"`: a percent of a wave's changed services. */
export const batchSizePattern = /^\s*(\d+)\s*(%?)\s*$/;

/** A batch size as written, or undefined when it is not one (a count ≥ 1, or a percent from 1 to 100). */
export function parseBatchSize(value: string | number): BatchSize | undefined {
  const match = batchSizePattern.exec(String(value));
  if (!match) return undefined;
  const n = Number(match[1]);
  if (match[2] === '%') return n >= 1 && n <= 100 ? { percent: n } : undefined;
  return n >= 1 ? { count: n } : undefined;
}

export function batchSizeSchema() {
  return z
    .union([z.number(), z.string()])
    .refine((value) => parseBatchSize(value) !== undefined, {
      error: (issue) =>
        `invalid batch size ${JSON.stringify(issue.input)}: expected a count such as 2 or a percent such as 25%`,
    })
    .meta({ description: 'Services per batch: a count (2) or a percent of a wave’s changed services (25%)' });
}

/** The plan's `update:` section: how `bootwave update` rolls changes out (docs/updates.md). */
export function updateSectionSchema(durationSchema: z.ZodType<string | number>) {
  return z.strictObject({
    batchSize: batchSizeSchema().optional(),
    observe: durationSchema.optional(),
    pause: durationSchema.optional(),
    failureThreshold: z
      .union([z.number(), z.string()])
      .refine((value) => /^\s*\d+(\.\d+)?\s*%?\s*$/.test(String(value)) && parseFloat(String(value)) <= 100, {
        error: (issue) =>
          `invalid failure threshold ${JSON.stringify(issue.input)}: expected a percent from 0 to 100, e.g. 25%`,
      })
      .optional(),
    order: z.enum(UpdateOrders).optional(),
  });
}

export type UpdateSectionFile = z.infer<ReturnType<typeof updateSectionSchema>>;

/** The resolved policy; fields left out of the file stay out (the update's defaults apply). */
export function resolveUpdatePolicy(section: UpdateSectionFile): UpdatePolicy {
  const batchSize = section.batchSize === undefined ? undefined : parseBatchSize(section.batchSize);
  const observeMs = section.observe === undefined ? undefined : parseDuration(section.observe);
  const pauseMs = section.pause === undefined ? undefined : parseDuration(section.pause);
  return {
    ...(batchSize ? { batchSize } : {}),
    ...(observeMs === undefined ? {} : { observeMs }),
    ...(pauseMs === undefined ? {} : { pauseMs }),
    ...(section.failureThreshold === undefined
      ? {}
      : { failureThresholdPercent: parseFloat(String(section.failureThreshold)) }),
    ...(section.order ? { order: section.order } : {}),
  };
}
