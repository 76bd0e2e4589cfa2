import { ErrorCode } from '@envdesk/domain';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createStore } from '../db/store.js';
import { databaseBuilders } from '../test/builders.js';
import { type TestDatabase, describeEachDialect, openTestDatabase } from '../test/test-database.js';
import type { UserRecord } from '../users/users-store.js';
import { createTasksService } from './tasks-service.js';

const NOW = '2026-01-15T10:00:00Z';

describeEachDialect('tasks service on %s', (dialect) => {
  let database: TestDatabase;
  let service: ReturnType<typeof createTasksService>;
  let starter: UserRecord;
  let other: UserRecord;
  let store: ReturnType<typeof createStore>;

  beforeAll(async () => {
    database = await openTestDatabase(dialect);
    store = createStore(database.connection);
    // The service is handed only the slice of the store it declares.
    service = createTasksService({ store: { tasks: store.tasks, users: store.users } });
    const { aUser } = databaseBuilders(store);
    [starter, other] = [await aUser(), await aUser()];
    await store.tasks.insert({ id: 'task-1', userId: starter.id, contentId: null, owner: 'replica', heartbeatTime: NOW }, NOW);
    await store.tasks.finish('task-1', { code: 0, error: '', result: null, output: ['one', 'two', 'three'] }, NOW);
  });
  afterAll(() => database.cleanup());

  const actorOf = (record: UserRecord) => ({ guid: record.user.guid, role: record.user.user_role, groupGuids: [] });

  it('gives the one who started a task its lines from `first` on, with where to go on from', async () => {
    expect(await service.get(actorOf(starter), 'task-1', { first: 1, wait: 0 })).toEqual({
      id: 'task-1',
      output: ['two', 'three'],
      result: null,
      finished: true,
      code: 0,
      error: '',
      last: 3,
    });
  });

  it('tells anyone else that the task does not exist', async () => {
    await expect(service.get(actorOf(other), 'task-1', { first: 0, wait: 0 })).rejects.toMatchObject({ code: ErrorCode.TaskDoesNotExist });
  });

  it('with until=output, answers as soon as a running task writes a line, not when it ends', async () => {
    await store.tasks.insert({ id: 'task-2', userId: starter.id, contentId: null, owner: 'replica', heartbeatTime: NOW }, NOW);
    await store.tasks.setOutput('task-2', ['building']);
    const started = performance.now();
    const answer = service.get(actorOf(starter), 'task-2', { first: 1, wait: 10, until: 'output' });
    setTimeout(() => void store.tasks.setOutput('task-2', ['building', 'step 1 of 3']), 200);
    expect(await answer).toMatchObject({ output: ['step 1 of 3'], finished: false, last: 2 });
    expect(performance.now() - started).toBeLessThan(2_000);
    // Without it, the same request waits for the end (Connect's clients expect a finished task).
    const toTheEnd = service.get(actorOf(starter), 'task-2', { first: 1, wait: 0.5 });
    expect(await toTheEnd).toMatchObject({ output: ['step 1 of 3'], finished: false });
    expect(performance.now() - started).toBeGreaterThan(500);
  });
});
