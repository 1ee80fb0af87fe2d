/** The workflows a bootwave worker registers. Deterministic code only: see the lint rules for this folder. */
export { bootWorkflow } from './boot-workflow';
export { waveWorkflow } from './wave-workflow';
export { teardownWorkflow } from './teardown-workflow';
export { stackWorkflow } from './stack-workflow';
export { updateWorkflow } from './update-workflow';
