import { type Actor, type EnvironmentVariablesInput, authorOf, contentVariablesChange } from '@envdesk/domain';
import { type Clock, timestamp } from '../clock.js';
import type { Store } from '../db/store.js';
import type { SealedVariable } from './content-environment-store.js';
import type { ContentService } from './content-service.js';
import type { ContentRecord } from './content-store.js';
import type { VariableCipher } from './variable-cipher.js';

/**
 * Content environment variables (Connect's `/v1/content/{guid}/environment`). Callers only ever
 * get names back; values are sealed before they reach the store and opened only by `valuesFor`.
 */
export function createContentEnvironmentService({
  store,
  clock,
  content,
  cipher,
}: {
  store: Pick<Store, 'contentEnvironment' | 'audit' | 'transaction'>;
  clock: Clock;
  content: Pick<ContentService, 'authorized'>;
  cipher: VariableCipher;
}) {
  const sealAll = (record: ContentRecord, changes: EnvironmentVariablesInput): SealedVariable[] =>
    changes.flatMap(({ name, value }) => (value === null ? [] : [{ name, ...cipher.seal({ contentGuid: record.guid, name }, value) }]));

  /** Records which variables the change set or removed (names only) and answers every name. */
  async function recorded(tx: Pick<Store, 'contentEnvironment' | 'audit'>, actor: Actor, record: ContentRecord, before: string[], touched: EnvironmentVariablesInput): Promise<string[]> {
    const after = await tx.contentEnvironment.names(record.id);
    const event = contentVariablesChange(record, before, after, touched.map(({ name }) => name));
    if (event.changes.length > 0) await tx.audit.append(authorOf(actor), [event], timestamp(clock));
    return after;
  }

  return {
    async names(actor: Actor, guid: string): Promise<string[]> {
      const record = await content.authorized(actor, guid, 'content:read-environment');
      return store.contentEnvironment.names(record.id);
    },

    /** PATCH: sets the named variables, removes those whose value is null, leaves the others; answers every name. */
    async update(actor: Actor, guid: string, changes: EnvironmentVariablesInput): Promise<string[]> {
      const record = await content.authorized(actor, guid, 'content:write-environment');
      const sealed = sealAll(record, changes);
      const removed = changes.filter(({ value }) => value === null).map(({ name }) => name);
      return store.transaction(async (tx) => {
        const before = await tx.contentEnvironment.names(record.id);
        await tx.contentEnvironment.remove(record.id, removed);
        await tx.contentEnvironment.put(record.id, sealed, timestamp(clock));
        return recorded(tx, actor, record, before, changes);
      });
    },

    /** PUT: the variables become exactly those given (a null value, as in PATCH, means "not set"). */
    async replace(actor: Actor, guid: string, variables: EnvironmentVariablesInput): Promise<string[]> {
      const record = await content.authorized(actor, guid, 'content:write-environment');
      const sealed = sealAll(record, variables);
      return store.transaction(async (tx) => {
        const before = await tx.contentEnvironment.names(record.id);
        await tx.contentEnvironment.removeAll(record.id);
        await tx.contentEnvironment.put(record.id, sealed, timestamp(clock));
        return recorded(tx, actor, record, before, variables);
      });
    },

    /**
     * The values in plain text, for the server's own use only (the environment a build or a process
     * of the content starts with), never for an answer. Throws SealedValueError, naming the variable,
     * when a value was sealed with another key or changed outside envdesk.
     */
    async valuesFor(record: Pick<ContentRecord, 'id' | 'guid'>): Promise<Map<string, string>> {
      const sealed = await store.contentEnvironment.sealed(record.id);
      return new Map(sealed.map((variable) => [variable.name, cipher.open({ contentGuid: record.guid, name: variable.name }, variable)]));
    },
  };
}
export type ContentEnvironmentService = ReturnType<typeof createContentEnvironmentService>;
