/**
 * DNS-label-like names: they become parts of workflow IDs, container names and Kubernetes resource names. Its own
 * module so that a worker checks its host's name without loading the plan schema (and zod).
 */
export const namePattern = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
