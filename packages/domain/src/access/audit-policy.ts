import { administrators, type Rules } from './rule.js';

/** Reading the record of who changed what. */
export interface AuditSubjects {
  /** Connect's audit log and its search: it names every user and what they changed. */
  'audit:read': never;
}

export const auditRules: Rules<AuditSubjects> = {
  'audit:read': { roles: administrators },
};
