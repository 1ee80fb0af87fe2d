/** The workflow bundle the tests use: the real workflows plus a trivial one that proves the server works. */
export * from '../../src/workflows';

export async function echoWorkflow(message: string): Promise<string> {
  return `echo: ${message}`;
}
