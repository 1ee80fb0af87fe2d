import { z } from 'zod';
import { httpUrlSchema } from './http-url-schema';

/** The comparisons a `prometheus` check may make; exactly one is given. */
export const prometheusComparisons = ['below', 'above', 'equals'] as const;

/** A number, also as a numeric string so `${MAX_ERROR_RATE:-0.05}` substitutes into it. */
const thresholdSchema = z
  .union([z.number(), z.string()])
  .superRefine((value, ctx) => {
    const n =
      typeof value === 'number'
        ? value
        : /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(value)
          ? Number(value)
          : NaN;
    if (!Number.isFinite(n))
      ctx.addIssue({ code: 'custom', message: `must be a number, got ${JSON.stringify(value)}` });
  })
  .transform((value) => Number(value));

/**
 * `{ kind: prometheus, url, query, below | above | equals }`: an instant PromQL query against a Prometheus server;
 * the check passes when every sample of the result compares as asked (`below: 0.05` passes on 0.01). No sample is
 * "not ready", not a pass. Kept beside the plan schema so the kind is one small file.
 */
export const prometheusCheckSchema = z
  .strictObject({
    kind: z.literal('prometheus'),
    url: httpUrlSchema(' (the Prometheus server)'),
    query: z.string().trim().min(1, { message: 'must be a PromQL expression' }),
    below: thresholdSchema.optional(),
    above: thresholdSchema.optional(),
    equals: thresholdSchema.optional(),
  })
  .superRefine((check, ctx) => {
    const given = prometheusComparisons.filter((key) => check[key] !== undefined);
    if (given.length !== 1)
      ctx.addIssue({
        code: 'custom',
        message:
          given.length === 0
            ? 'needs one comparison: below, above or equals (e.g. below: 0.05)'
            : `needs exactly one comparison, got ${given.join(' and ')}`,
      });
  });
