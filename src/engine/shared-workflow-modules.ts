/**
 * Modules every workflow shares instead of evaluating its own copy. With the SDK's reusable V8 context each workflow
 * gets a fresh module cache, so every module of the bundle is evaluated again at its first task — for the input
 * check (zod and the schemas built from it) that was the larger part of a new workflow's first task, and a copy
 * per cached workflow. A preloaded module is evaluated once, before any workflow, and the SDK deep-freezes what it
 * exports: only stateless modules belong here. The input check exports functions only (its schemas stay
 * unfrozen in its scope); zod's modules come with it. `zod` itself cannot be named: the bundler drops a bare
 * import of a side-effect-free package. Every bundle of bootwave's workflows passes this as `preloadModules`.
 */
export const sharedWorkflowModules = [require.resolve('../contract/boot-input-schema')];
