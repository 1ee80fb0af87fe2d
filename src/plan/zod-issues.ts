import type { z } from 'zod';
import { didYouMean } from './closest-name';
import { fieldNamesAt } from './field-names';

/** A schema problem as bootwave reports it: a path (segments) and a short lowercase message. */
export interface SchemaProblem {
  path: PropertyKey[];
  message: string;
}

/**
 * Turns zod issues into bootwave's messages: one "unknown field" per unrecognized key (at the key's own path),
 * "required" for a missing field, and for unions the branch that got furthest instead of zod's "Invalid input".
 */
export function schemaProblems(
  schema: z.ZodType,
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly PropertyKey[] = [],
): SchemaProblem[] {
  const fieldsAt = (path: PropertyKey[]) => fieldNamesAt(schema, path.slice(prefix.length));
  return issues.flatMap((issue) => convert(issue, [...prefix, ...issue.path], fieldsAt));
}

function convert(
  issue: z.core.$ZodIssue,
  path: PropertyKey[],
  fieldsAt: (path: PropertyKey[]) => string[],
): SchemaProblem[] {
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => ({
        path: [...path, key],
        message: `unknown field${didYouMean(key, fieldsAt(path))}`,
      }));
    case 'invalid_type':
      if (issue.input === undefined) return [{ path, message: 'required' }];
      if (issue.expected === 'number' && typeof issue.input === 'number')
        return [{ path, message: `must be a finite number, got ${String(issue.input)}` }];
      return [{ path, message: `expected ${typeName(issue.expected)}, got ${describe(issue.input)}` }];
    case 'invalid_union': {
      if (issue.discriminator !== undefined) {
        const options = (issue as { options?: unknown[] }).options ?? [];
        const value =
          issue.input !== null && typeof issue.input === 'object'
            ? (issue.input as Record<string, unknown>)[issue.discriminator]
            : undefined;
        const expected = options.map((o) => String(o)).join(', ');
        return [
          {
            path,
            message:
              value === undefined
                ? `required: one of ${expected}`
                : `unknown ${issue.discriminator} ${JSON.stringify(value)}: expected one of ${expected}`,
          },
        ];
      }
      const mixed = mixedBranches(issue);
      if (mixed) {
        const names = `${mixed.slice(0, -1).join(', ')} and ${mixed.at(-1)!}`;
        return [{ path, message: `names ${names}: give only one of them` }];
      }
      const deeper = issue.errors.find((branch) =>
        branch.some((inner) => inner.path.length > 0 || inner.code !== 'invalid_type'),
      );
      if (deeper) return deeper.flatMap((inner) => convert(inner, [...path, ...inner.path], fieldsAt));
      if (typeof issue.input === 'number' && !Number.isFinite(issue.input))
        return [{ path, message: `must be a finite number, got ${String(issue.input)}` }];
      const expected = [
        ...new Set(
          issue.errors.flat().map((inner) => (inner.code === 'invalid_type' ? typeName(inner.expected) : inner.code)),
        ),
      ];
      if (issue.input === undefined) return [{ path, message: 'required' }];
      return [{ path, message: `expected ${expected.join(' or ')}, got ${describe(issue.input)}` }];
    }
    case 'invalid_value':
      return [
        {
          path,
          message: `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${JSON.stringify(issue.input) ?? 'nothing'}`,
        },
      ];
    case 'too_small':
      if (issue.origin === 'array' || issue.origin === 'string')
        return [{ path, message: issue.message.startsWith('Too small') ? `must not be empty` : issue.message }];
      return [{ path, message: `must be at least ${String(issue.minimum)}, got ${JSON.stringify(issue.input)}` }];
    case 'too_big':
      return [{ path, message: `must be at most ${String(issue.maximum)}, got ${JSON.stringify(issue.input)}` }];
    case 'invalid_format':
      return [
        {
          path,
          message: issue.message.startsWith('Invalid')
            ? `invalid format: ${JSON.stringify(issue.input)}`
            : `${JSON.stringify(issue.input)} ${issue.message}`,
        },
      ];
    default:
      return [{ path, message: issue.message }];
  }
}

/**
 * The fields of a union of objects that the input mixes: each branch knows some of the input's fields and not the
 * rest (`{ env: X, file: Y }` against `{ env } | { file } | ...`). Reported as such, not as one branch's unknown
 * field, whose suggestion would name the field itself.
 */
function mixedBranches(issue: z.core.$ZodIssue & { code: 'invalid_union' }): string[] | undefined {
  if (issue.input === null || typeof issue.input !== 'object' || Array.isArray(issue.input)) return undefined;
  const given = Object.keys(issue.input);
  const known = new Set<string>();
  for (const branch of issue.errors) {
    const unknown = branch.find((inner) => inner.code === 'unrecognized_keys' && inner.path.length === 0);
    if (!unknown || unknown.code !== 'unrecognized_keys') continue;
    for (const key of given) if (!unknown.keys.includes(key)) known.add(key);
  }
  return known.size > 1 && given.every((key) => known.has(key)) ? [...known] : undefined;
}

/** Plan-file words for zod's type names. */
function typeName(expected: string): string {
  return expected === 'record' || expected === 'object' ? 'a mapping' : expected === 'array' ? 'a list' : expected;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string')
    return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value} ${String(value)}`;
}
