import { z } from 'zod';
import { planSchema } from './plan-schema';

/** Where the published schema lives, relative to the package root. */
export const planJsonSchemaPath = 'schema/plan.schema.json';

/**
 * The JSON Schema of the plan file, generated from the zod schema so the two never disagree. The input side is
 * what editors check: durations and sizes are strings (or numbers) there.
 */
export function planJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(planSchema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'any' });
  return {
    ...schema,
    $id: 'https://bootwave.dev/schema/plan.schema.json',
    title: 'bootwave plan',
    description:
      'A stack of services booted in dependency order, wave by wave, each gated on its health. See docs/plan.md.',
  };
}

/** The file content: stable key order from the schema, two-space indent, trailing newline. */
export function planJsonSchemaText(): string {
  return `${JSON.stringify(planJsonSchema(), null, 2)}\n`;
}
