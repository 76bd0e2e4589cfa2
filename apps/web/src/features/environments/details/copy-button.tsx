import { useState } from 'react';
import { useAnnounce } from '../../../components/announcer';

/** Copies `text` to the clipboard and says so; `what` names it for people who cannot see which button. */
export function CopyButton({ text, what }: { text: string; what: string }) {
  const announce = useAnnounce();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      announce(`Copied the ${what}.`, 'info');
    } catch {
      // Clipboard access refused (an insecure origin, a denied permission): the text is still selectable.
      announce(`The ${what} could not be copied; select it and copy it by hand.`, 'error');
    }
  };
  return (
    <button type="button" className="button button-small button-quiet" onClick={() => void copy()}>
      {copied ? 'Copied' : 'Copy'}
      <span className="visually-hidden"> the {what}</span>
    </button>
  );
}
