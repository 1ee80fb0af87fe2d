import { z } from 'zod';
import { DependencyFailureActions, RestartPolicies } from './types';

/** Duration fields are plain strings/numbers here and checked by `durationSchema` where they are spread in. */
export function supervisionFields(durationSchema: z.ZodType<string | number>) {
  return {
    restart: z.enum(RestartPolicies).optional(),
    restartBackoff: z
      .strictObject({
        initial: durationSchema.optional(),
        max: durationSchema.optional(),
        factor: z.number().min(1).optional(),
      })
      .optional(),
    startLimitBurst: z.number().int().min(1).optional(),
    startLimitInterval: durationSchema.optional(),
    onDependencyFailure: z.enum(DependencyFailureActions).optional(),
    breaker: z
      .strictObject({
        failureThreshold: z.number().int().min(1).optional(),
        window: durationSchema.optional(),
        openFor: durationSchema.optional(),
      })
      .optional(),
  };
}

/** On demand (services only): `lazy: true`, or with a group, its `maxActive` and an `idleTimeout`. */
export function lazyField(durationSchema: z.ZodType<string | number>) {
  return {
    lazy: z
      .union([
        z.boolean(),
        z.strictObject({
          group: z.string().min(1).optional(),
          maxActive: z.number().int().min(1).optional(),
          idleTimeout: durationSchema.optional(),
        }),
      ])
      .optional(),
  };
}
