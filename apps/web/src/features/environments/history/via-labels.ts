import type { AuditVia } from '@envdesk/domain';

/** How a change arrived, in a word (a badge, the list's Last changed by column). */
export const VIA_LABELS: Record<AuditVia, string> = { tab: 'Tab', api: 'API', file: 'File', command: 'Command', system: 'envdesk' };
