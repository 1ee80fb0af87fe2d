import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';
import { planJsonSchema, planJsonSchemaPath, planJsonSchemaText } from '../../src/plan/plan-json-schema';

describe('schema/plan.schema.json', () => {
  test('is up to date with the zod schema (regenerate with scripts/gen-schema.sh)', () => {
    if (process.env.UPDATE_SCHEMA === '1') writeFileSync(planJsonSchemaPath, planJsonSchemaText());
    expect(readFileSync(planJsonSchemaPath, 'utf8')).toBe(planJsonSchemaText());
  });

  test('describes the plan: strict objects, required name and services, the check kinds', () => {
    const schema = planJsonSchema() as {
      required: string[];
      additionalProperties: boolean;
      properties: Record<string, unknown>;
    };
    expect(schema.required).toEqual(['name', 'services']);
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties)).toEqual(['$schema', 'name', 'defaults', 'waves', 'services', 'update']);
    const text = JSON.stringify(schema);
    for (const kind of ['http', 'tcp', 'exec', 'composite', 'staged']) expect(text).toContain(`"const":"${kind}"`);
  });

  test('every example plan points editors at it', () => {
    for (const example of ['kosmos', 'cascade-mainpc', 'cascade-pc2', 'somaagent']) {
      const text = readFileSync(`examples/${example}/plan.yaml`, 'utf8');
      expect(text.split('\n')[0]).toBe('# yaml-language-server: $schema=../../schema/plan.schema.json');
      expect(parse(text)).toHaveProperty('name', example);
    }
  });
});
