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
