import { type Rules, everyone } from './rule.js';

/** What the rules need to know about a task: who started it (null once that user is gone). */
export interface TaskSubject {
  readonly user_guid: string | null;
}

export interface TaskSubjects {
  /** Poll its log and result. */
  'tasks:read': TaskSubject;
}

export const taskRules: Rules<TaskSubjects> = {
  // Anyone polls the tasks they started; administrators any task. Others are told it does not exist.
  'tasks:read': {
    roles: everyone,
    on: 'task',
    allows: (actor, task) => actor.role === 'administrator' || task.user_guid === actor.guid,
  },
};
