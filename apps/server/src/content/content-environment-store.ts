import { notFound } from '@envdesk/domain';
import type { Kysely } from 'kysely';
import { isForeignKeyViolation } from '../db/errors.js';
import type { Database } from '../db/schema.js';
import type { SealedValue } from './variable-cipher.js';

/** A variable as stored: its name and its sealed value. The store never sees a value in plain text. */
export interface SealedVariable extends SealedValue {
  readonly name: string;
}

/** Names in code-unit order, the same on both dialects (PostgreSQL's collation would sort "_" elsewhere). */
const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Content environment variables. Writes belong in a transaction: a change lands whole or not at all. */
export function createContentEnvironmentStore(db: Kysely<Database>) {
  return {
    async names(contentId: number): Promise<string[]> {
      const rows = await db.selectFrom('content_environment_variables').select('name').where('content_id', '=', contentId).execute();
      return rows.map((row) => row.name).sort(byName);
    },

    async sealed(contentId: number): Promise<SealedVariable[]> {
      const rows = await db
        .selectFrom('content_environment_variables')
        .select(['name', 'sealed_value', 'key_id'])
        .where('content_id', '=', contentId)
        .execute();
      return rows.map((row) => ({ name: row.name, sealed: row.sealed_value, keyId: row.key_id })).sort((a, b) => byName(a.name, b.name));
    },

    /** Sets each variable, replacing a value of the same name. Throws 404 when the content was deleted meanwhile. */
    async put(contentId: number, variables: readonly SealedVariable[], now: string): Promise<void> {
      if (variables.length === 0) return;
      const write = db
        .insertInto('content_environment_variables')
        .values(variables.map(({ name, sealed, keyId }) => ({ content_id: contentId, name, sealed_value: sealed, key_id: keyId, updated_time: now })))
        .onConflict((conflict) =>
          conflict.columns(['content_id', 'name']).doUpdateSet((eb) => ({
            sealed_value: eb.ref('excluded.sealed_value'),
            key_id: eb.ref('excluded.key_id'),
            updated_time: eb.ref('excluded.updated_time'),
          })),
        );
      try {
        await write.execute();
      } catch (error) {
        if (isForeignKeyViolation(error)) throw notFound('Content');
        throw error;
      }
    },

    async remove(contentId: number, names: readonly string[]): Promise<void> {
      if (names.length === 0) return;
      await db.deleteFrom('content_environment_variables').where('content_id', '=', contentId).where('name', 'in', names).execute();
    },

    /** How many stored values some other key sealed: what a start with a changed key warns about. */
    async countSealedWithOtherKeys(keyId: string): Promise<number> {
      const row = await db
        .selectFrom('content_environment_variables')
        .select((eb) => eb.fn.countAll<number | string | bigint>().as('count'))
        .where('key_id', '!=', keyId)
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },

    async removeAll(contentId: number): Promise<void> {
      await db.deleteFrom('content_environment_variables').where('content_id', '=', contentId).execute();
    },
  };
}
export type ContentEnvironmentStore = ReturnType<typeof createContentEnvironmentStore>;
