import { describe, expect, it } from 'vitest';
import { aDeployment } from '../content-test-data';
import { withLiveDeploy } from './deploy-history';

const NOW = '2026-01-15T11:00:00Z';
const earlier = aDeployment({ task_id: 'task-1' });

describe('the deploy history with the deploy started on the page', () => {
  it('is the server’s list when nothing was started here', () => {
    expect(withLiveDeploy([earlier], { taskId: null, log: null }, NOW)).toEqual([earlier]);
  });

  it('puts a deploy the server does not list yet first, running', () => {
    expect(withLiveDeploy([earlier], { taskId: 'task-2', log: null }, NOW)).toEqual([
      { task_id: 'task-2', created_time: NOW, finished_time: null, finished: false, code: 0, error: '', output: [] },
      earlier,
    ]);
  });

  it('shows the streamed log over the server’s copy of the same deploy', () => {
    const listed = aDeployment({ task_id: 'task-2', finished: false, output: ['first'] });
    const log = { lines: ['first', 'second'], last: 2, finished: true, code: 1, error: 'It failed.' };
    expect(withLiveDeploy([listed, earlier], { taskId: 'task-2', log }, NOW)[0]).toEqual({
      ...listed,
      output: ['first', 'second'],
      finished: true,
      code: 1,
      error: 'It failed.',
    });
  });
});
