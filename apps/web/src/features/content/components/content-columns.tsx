import type { Content, User } from '@envdesk/domain';
import { type DataColumns, createDataColumnHelper } from '../../../components/data-table';
import { Link } from '@tanstack/react-router';
import { contentTitle, ownerName, runtimeText } from '../content-list';
import { RebuildBadge } from './rebuild-badge';
import { DateTime } from '../../../components/date-time';
import { MiddleTruncate } from '../../../components/middle-truncate';
import { truncatedTitleProps } from '../../../components/truncated-title';

const helper = createDataColumnHelper<Content>();

const titleColumn = helper.accessor(contentTitle, {
  id: 'title',
  header: 'Title',
  cell: (info) => {
    const content = info.row.original;
    return (
      <div className="title-cell">
        <Link to="/content/$guid" params={{ guid: content.guid }} className="title-link truncate" {...truncatedTitleProps}>
          {info.getValue()}
        </Link>
        {content.title && (
          <span className="title-description mono truncate" title={content.name}>
            {content.name}
          </span>
        )}
      </div>
    );
  },
  meta: { card: 'full' },
});

const ownerColumn = helper.accessor((content) => ownerName(content.owner), {
  id: 'owner',
  header: 'Owner',
  cell: (info) => (
    <span className="truncate" title={info.row.original.owner.username}>
      {info.getValue()}
    </span>
  ),
  meta: { width: '12rem' },
});

const runtimeColumn = (reader: User) => helper.accessor((content) => runtimeText(content, reader) ?? '', {
  id: 'runtime',
  header: 'Environment',
  cell: (info) => {
    const content = info.row.original;
    const text = info.getValue();
    return (
      <div className="title-cell">
        {content.default_image_name === null ? (
          <span className="truncate" {...truncatedTitleProps}>
            {text}
          </span>
        ) : (
          <MiddleTruncate value={text} className="mono" />
        )}
        {content.needs_rebuild && <RebuildBadge />}
      </div>
    );
  },
});

const deployedColumn = helper.accessor('last_deployed_time', {
  id: 'deployed',
  header: 'Last deployed',
  sortDescFirst: true,
  cell: (info) => {
    const time = info.getValue();
    if (!time) return <span className="muted">Never deployed</span>;
    return <DateTime value={time} className="nowrap" />;
  },
  meta: { width: '11.5rem' },
});

/**
 * The Content list's columns; their ids are the sort columns of content-list.ts. Owners appear when
 * the list is not only the reader's own; the Environment only to those who may see runtimes.
 */
export function contentColumns({ showOwner, showRuntime, reader }: { showOwner: boolean; showRuntime: boolean; reader: User }): DataColumns<Content> {
  return [titleColumn, ...(showOwner ? [ownerColumn] : []), ...(showRuntime ? [runtimeColumn(reader)] : []), deployedColumn];
}
