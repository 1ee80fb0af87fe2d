/** The plan model: pure (no Node built-ins), so workflows may import it. File reading lives in `load-plan.ts`. */
export * from './types';
export * from './boot-input';
export { loadPlanDocument, type LoadOptions } from './load-plan-document';
export { parsePlanText } from './parse-plan-text';
export { formatIssue, type PlanIssue, type LoadResult } from './plan-issue';
export { parseDuration, formatDuration } from './duration';
export { parseSize, formatSize } from './size';
export { criticalPath, type CriticalPath } from './critical-path';
export { findCycles } from './find-cycles';
export { topologicalOrder } from './topological-order';
export { deriveWaves } from './derive-waves';
export { loadPlanText } from './load-plan-text';
export { renderGraph, GraphFormats, type GraphFormat } from './render-graph';
