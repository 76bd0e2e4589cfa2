import { type ContentSubject, contentRules } from './content-policy.js';
import { type Actor, administrators, everyone, type Rules, staff } from './rule.js';

/**
 * Tags, vanity URLs, git repository settings and content search: what hangs from content but is
 * not its record. Decisions about one content item defer to the content rules, so whoever may
 * read or edit content (an owner, an administrator, a collaborator once there are those) may do
 * the same here.
 */
export interface TagSubjects {
  /** List and open tags, and see which content carries one. */
  'tags:read': never;
  /** Create, rename, move and delete tags (Connect: administrators). */
  'tags:write': never;
  /** Put a tag on content or take it off (Connect: an administrator or an editor of the content). */
  'content:tag': ContentSubject;
  /** The tags content carries, its vanity URL, its repository: what any reader of the content sees. */
  'content:read-links': ContentSubject;
  /** Set or remove its vanity URL and its git repository settings. */
  'content:write-links': ContentSubject;
  /** Every vanity URL on the server. */
  'vanities:read-all': never;
  /** Search content (the results are what the content list would show the caller). */
  'content:search': never;
}

const mayRead = (actor: Actor, content: ContentSubject): boolean => contentRules['content:read'].allows(actor, content);
const mayEdit = (actor: Actor, content: ContentSubject): boolean => contentRules['content:update'].allows(actor, content);

export const tagRules: Rules<TagSubjects> = {
  'tags:read': { roles: everyone },
  'tags:write': { roles: administrators },
  'content:tag': { roles: staff, on: 'content', allows: mayEdit },
  'content:read-links': { roles: everyone, on: 'content', allows: mayRead },
  // Connect: publishers manage the vanity URLs of content they may change (PublishersCanManageVanities).
  'content:write-links': { roles: staff, on: 'content', allows: mayEdit },
  'vanities:read-all': { roles: administrators },
  'content:search': { roles: everyone },
};
