import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { BootOptions } from '../plan/boot-input';
import { readTextFile } from '../plan/load-plan';
import { loadPlanDocument } from '../plan/load-plan-document';
import { parseComposeText } from './parse-compose-text';
import type { PlanIssue } from '../plan/plan-issue';
import type { ResolvedPlan } from '../plan/types';
import { composeToPlan } from './compose-to-plan';
import { interpolate } from './interpolate';
import { parseDotenv } from './parse-dotenv';

export interface ImportComposeOptions {
  /** Defaults to `process.env`; wins over the `.env` file next to the Compose file, as in Compose. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Selected profiles; when absent, `COMPOSE_PROFILES` then `BOOTWAVE_PROFILES` (comma-separated). */
  profiles?: readonly string[];
}

export type ImportComposeResult =
  | { ok: true; doc: unknown; plan: ResolvedPlan; bootOptions: Partial<BootOptions>; warnings: PlanIssue[] }
  | { ok: false; errors: PlanIssue[]; warnings: PlanIssue[] };

/**
 * Reads a Docker Compose file and maps it onto a bootwave plan, validated by the same loader as plan files.
 * What bootwave cannot honour is reported by key and path: errors refuse the file, warnings are returned with
 * the plan (see `compose-keys.ts`). Never throws for bad input.
 */
export function importCompose(file: string, options: ImportComposeOptions = {}): ImportComposeResult {
  const folder = dirname(resolve(file));
  const read = readTextFile(file, 'Compose file');
  if (!read.ok) return { ...read, warnings: [] };
  const text = read.text;
  const parsed = parseComposeText(text, file);
  if (!parsed.ok) return { ok: false, errors: parsed.errors, warnings: [] };

  const dotenv = readEnvFile(resolve(folder, '.env')) ?? {};
  const env = { ...dotenv, ...(options.env ?? process.env) };
  const interpolated = interpolate(parsed.doc, env);
  const toIssue = (item: { path: string; message: string }): PlanIssue => ({ file, ...item });
  const mapping = composeToPlan(interpolated.value, {
    file,
    defaultName: env.COMPOSE_PROJECT_NAME ?? basename(folder),
    resolvePath: (path) => resolve(folder, path.replace(/^~(?=\/|$)/, env.HOME ?? '~')),
    env,
    readEnvFile: (path) => readEnvFile(resolve(folder, path)),
  });
  const errors = [...interpolated.errors.map(toIssue), ...mapping.errors];
  const warnings = [...interpolated.warnings.map(toIssue), ...mapping.warnings];
  if (errors.length > 0) return { ok: false, errors, warnings };

  const profiles = options.profiles ?? splitList(env.COMPOSE_PROFILES ?? env.BOOTWAVE_PROFILES);
  // Interpolation is done: escape "$" so the plan loader's own ${VAR} pass leaves the values as they are.
  const loaded = loadPlanDocument(escapeDollars(mapping.doc), {
    file,
    env: {},
    profiles,
    resolvePath: (path) => resolve(folder, path),
  });
  if (!loaded.ok) return { ok: false, errors: loaded.errors, warnings };
  return {
    ok: true,
    doc: mapping.doc,
    plan: { ...loaded.plan, source: resolve(file) },
    bootOptions: mapping.bootOptions,
    warnings,
  };
}

function readEnvFile(path: string): Record<string, string> | undefined {
  return existsSync(path) ? parseDotenv(readFileSync(path, 'utf8')) : undefined;
}

function splitList(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

function escapeDollars(node: unknown): unknown {
  if (typeof node === 'string') return node.replace(/\$/g, '$$$$');
  if (Array.isArray(node)) return node.map(escapeDollars);
  if (node !== null && typeof node === 'object')
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, escapeDollars(v)]));
  return node;
}
