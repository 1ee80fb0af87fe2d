import { z } from 'zod';
import { parseDuration } from './duration';
import { Weekdays, type UpdateWindowSettings } from './types';

/** At most a week: a longer window is always open (and a typo). */
const maxWindowMs = 7 * 24 * 3_600_000;

/**
 * The plan's `update.windows` and `update.outsideWindow`: when rolling updates may run (maintenance windows, as
 * Argo CD's sync windows) and what an update started outside them does. Durations are checked by the
 * `durationSchema` passed in (as `supervision-schema.ts` does), so this file needs nothing from `plan-schema.ts`.
 */
export function updateWindowFields(durationSchema: z.ZodType<string | number>) {
  return {
    windows: z
      .array(
        z.strictObject({
          /** Days the window opens on (UTC); every day when absent. */
          days: z
            .array(z.enum(Weekdays))
            .min(1, { message: 'needs at least one day (or leave days out: every day)' })
            .optional(),
          /** When it opens, `HH:MM` in UTC. */
          start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: 'must be HH:MM in UTC, e.g. "02:00"' }),
          /** How long it stays open. */
          duration: durationSchema.refine((value) => (parseDuration(value) ?? 0) <= maxWindowMs, {
            message: 'must be at most 7 days (168h)',
          }),
        }),
      )
      .optional(),
    outsideWindow: z.enum(['wait', 'skip']).optional(),
  };
}

type WindowFields = {
  [K in keyof ReturnType<typeof updateWindowFields>]?: z.infer<ReturnType<typeof updateWindowFields>[K]>;
};

/** The resolved settings, or undefined when the plan sets none (updates may run any time). */
export function resolveUpdateWindows(update: WindowFields | undefined): UpdateWindowSettings | undefined {
  if (!update?.windows && !update?.outsideWindow) return undefined;
  return {
    windows: (update.windows ?? []).map((w) => {
      const [hours, minutes] = w.start.split(':').map(Number) as [number, number];
      return {
        days: (w.days ?? Weekdays).map((day) => Weekdays.indexOf(day)).sort((a, b) => a - b),
        startMinute: hours * 60 + minutes,
        durationMs: parseDuration(w.duration) ?? 0,
      };
    }),
    outsideWindow: update.outsideWindow ?? 'wait',
  };
}
