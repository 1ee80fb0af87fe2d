import { loadPlanDocument, type LoadOptions } from './load-plan-document';
import { parsePlanText } from './parse-plan-text';
import type { LoadResult } from './plan-issue';
import type { ResolvedPlan } from './types';

/** Parses plan text (YAML or JSON) and validates it: syntax errors with line and column, then the plan's issues. */
export function loadPlanText(text: string, options: LoadOptions): LoadResult<ResolvedPlan> {
  const parsed = parsePlanText(text, options.file);
  return parsed.ok ? loadPlanDocument(parsed.doc, options) : parsed;
}
