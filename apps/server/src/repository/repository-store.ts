import { type ContentRepository, notFound } from '@envdesk/domain';
import type { Kysely } from 'kysely';
import { readFlag, writeFlag } from '../db/columns.js';
import { unlessGone } from '../db/errors.js';
import type { Database } from '../db/schema.js';

/** The settings a client writes; the rest of Connect's object is about polling, which envdesk does not do. */
export type RepositorySettings = Pick<ContentRepository, 'repository' | 'branch' | 'directory' | 'polling'>;

/** Git repository settings of content: one row per content item at most. */
export function createRepositoryStore(db: Kysely<Database>) {
  return {
    async ofContent(contentId: number): Promise<RepositorySettings | undefined> {
      const row = await db
        .selectFrom('content_repositories')
        .select(['repository', 'branch', 'directory', 'polling'])
        .where('content_id', '=', contentId)
        .executeTakeFirst();
      return row && { ...row, polling: readFlag(row.polling) };
    },

    /** Sets the content's settings. 404 when the content was deleted meanwhile. */
    async put(contentId: number, settings: RepositorySettings, now: string): Promise<void> {
      const values = { ...settings, polling: writeFlag(settings.polling), updated_time: now };
      await unlessGone(
        () =>
          db
            .insertInto('content_repositories')
            .values({ content_id: contentId, ...values })
            .onConflict((conflict) => conflict.column('content_id').doUpdateSet(values))
            .execute(),
        () => notFound('Content'),
      );
    },

    async remove(contentId: number): Promise<boolean> {
      const result = await db.deleteFrom('content_repositories').where('content_id', '=', contentId).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
export type RepositoryStore = ReturnType<typeof createRepositoryStore>;
