import { type KeyboardEvent, useEffect, useId, useState } from 'react';
import { type Principal, usePrincipalSearch, userDisplayName } from '../api/principals';
import type { GrantRow } from './grants';

export interface PrincipalPickerProps {
  /** Already granted; not offered again. */
  readonly granted: readonly GrantRow[];
  readonly onPick: (grant: GrantRow) => void;
}

const SEARCH_DELAY_MS = 200;

const grantOf = (principal: Principal): GrantRow =>
  principal.kind === 'user'
    ? { kind: 'user', guid: principal.user.guid, name: `${userDisplayName(principal.user)} (${principal.user.username})`, permissionGuid: null }
    : { kind: 'group', guid: principal.group.guid, name: principal.group.name, permissionGuid: null };

/**
 * A combobox (WAI-ARIA APG "list autocomplete") over users and groups from the API: type a name's
 * start, move with the arrow keys, Enter adds, Escape closes.
 */
export function PrincipalPicker({ granted, onPick }: PrincipalPickerProps) {
  const id = useId();
  const [text, setText] = useState('');
  const [prefix, setPrefix] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);

  useEffect(() => {
    const timer = setTimeout(() => setPrefix(text.trim()), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text]);

  const search = usePrincipalSearch(prefix, open);
  const options = (search.data ?? [])
    .map(grantOf)
    .filter((option) => !granted.some((grant) => grant.kind === option.kind && grant.guid === option.guid));
  const activeIndex = Math.min(active, options.length - 1);
  const optionId = (index: number) => `${id}-option-${index}`;

  const pick = (option: GrantRow) => {
    onPick(option);
    setText('');
    setActive(0);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (!open) return setOpen(true);
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((index) => (options.length === 0 ? 0 : (Math.max(index, 0) + step + options.length) % options.length));
    } else if (event.key === 'Enter') {
      // Enter picks in the list and never submits the form underneath.
      event.preventDefault();
      const option = options[activeIndex];
      if (open && option) pick(option);
    } else if (event.key === 'Escape' && open) {
      event.preventDefault();
      setOpen(false);
    }
  };

  const listed = open && options.length > 0;
  const status = !open || options.length > 0
    ? null
    : search.isError
      ? 'Users and groups could not be searched.'
      : search.isFetching || search.isPending
        ? 'Searching…'
        : prefix
          ? `No publishers or groups start with “${prefix}”.`
          : 'No more publishers or groups to add.';

  return (
    <div className="picker">
      <label htmlFor={`${id}-input`}>Add a user or group</label>
      <input
        id={`${id}-input`}
        role="combobox"
        aria-expanded={listed}
        aria-controls={`${id}-listbox`}
        aria-autocomplete="list"
        aria-activedescendant={listed ? optionId(activeIndex) : undefined}
        aria-describedby={`${id}-hint`}
        autoComplete="off"
        spellCheck={false}
        value={text}
        placeholder="Start typing a name"
        onChange={(event) => {
          setText(event.target.value);
          setOpen(true);
          setActive(0);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
      />
      <p id={`${id}-hint`} className="field-hint">
        Publishers and groups; administrators can always use every environment.
      </p>
      {listed && (
      <ul id={`${id}-listbox`} role="listbox" aria-label="Users and groups" className="picker-options">
        {options.map((option, index) => (
          <li
            key={`${option.kind}:${option.guid}`}
            id={optionId(index)}
            role="option"
            aria-selected={index === activeIndex}
            className="picker-option"
            // Keep focus in the input, so the list does not close before the click lands.
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => pick(option)}
          >
            <span className={`kind kind-${option.kind}`}>{option.kind === 'group' ? 'Group' : 'User'}</span>
            <span>{option.name}</span>
          </li>
        ))}
      </ul>
      )}
      <p className="picker-status" role="status">
        {status}
      </p>
    </div>
  );
}
