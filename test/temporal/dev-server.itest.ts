import { Worker, NativeConnection } from '@temporalio/worker';
import { testClient, uniqueTaskQueue } from '../support/temporal';
import { requireTestEnv } from '../support/test-env';

describe('the provisioned Temporal dev server', () => {
  it('runs a workflow through a real client and worker', async () => {
    const taskQueue = uniqueTaskQueue('echo');
    const connection = await NativeConnection.connect({ address: requireTestEnv('address') });
    const worker = await Worker.create({
      connection,
      taskQueue,
      workflowBundle: { codePath: requireTestEnv('bundle') },
    });
    const client = await testClient();
    const result = await worker.runUntil(
      client.workflow.execute('echoWorkflow', { taskQueue, workflowId: `echo-${taskQueue}`, args: ['hello'] }),
    );
    expect(result).toBe('echo: hello');
    await connection.close();
    await client.connection.close();
  });

  it('has the boot search attributes registered', async () => {
    const client = await testClient();
    const response = await client.connection.operatorService.listSearchAttributes({ namespace: 'default' });
    expect(response.customAttributes).toMatchObject({
      BootwavePlan: expect.anything(),
      BootwaveStatus: expect.anything(),
    });
    await client.connection.close();
  });
});
