/** Says the content's runtime choice changed since its last build, so its next deploy rebuilds it. */
export function RebuildBadge() {
  return (
    <span className="badge badge-rebuild" title="The runtime choice or its package cache changed since the last build.">
      <svg viewBox="0 0 16 16" width="11" height="11" aria-hidden="true">
        <path d="M8 2a6 6 0 0 1 5.7 4.1l1.3-.8v4h-4l1.6-1A4 4 0 1 0 12 10h2a6 6 0 1 1-6-8z" fill="currentColor" />
      </svg>
      Rebuilds on next deploy
    </span>
  );
}
