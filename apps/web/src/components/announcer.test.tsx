import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AnnouncerProvider, SHOWN_FOR_MS, type Tone, useAnnounce } from './announcer';

function Buttons({ messages }: { messages: ReadonlyArray<[string, Tone]> }) {
  const announce = useAnnounce();
  return (
    <>
      {messages.map(([message, tone]) => (
        <button key={message} type="button" onClick={() => announce(message, tone)}>
          Say {message}
        </button>
      ))}
    </>
  );
}

const messages: ReadonlyArray<[string, Tone]> = [
  ['Deploying “Report”…', 'info'],
  ['Deployed “Report”.', 'success'],
  ['The deploy failed.', 'error'],
];

function renderAnnouncer(extra?: React.ReactNode) {
  render(
    <AnnouncerProvider>
      <Buttons messages={messages} />
      {extra}
    </AnnouncerProvider>,
  );
  return (message: string) => fireEvent.click(screen.getByRole('button', { name: `Say ${message}` }));
}

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('toasts', () => {
  it('show one message at a time, each replacing the last, in one polite live region present before any message', () => {
    const say = renderAnnouncer();
    const region = screen.getByRole('status');
    expect(region.textContent).toBe('');
    expect(region.getAttribute('aria-live') ?? 'polite').toBe('polite');

    say('Deploying “Report”…');
    say('Deployed “Report”.');
    expect(region.textContent).toBe('Deployed “Report”.');
    // A failure too is said politely, in the same place: nothing else is left on screen.
    say('The deploy failed.');
    expect(screen.getAllByRole('status')).toEqual([region]);
    expect(region.textContent).toBe('The deploy failed.');
    expect(screen.queryByText('Deployed “Report”.')).toBeNull();
    // The close button is not part of what is read out.
    expect(region.querySelector('button')).toBeNull();
  });

  it('are dismissed with their button or with Escape', () => {
    const say = renderAnnouncer();
    say('Deployed “Report”.');
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss message' }));
    expect(screen.getByRole('status').textContent).toBe('');
    expect(screen.queryByRole('button', { name: 'Dismiss message' })).toBeNull();

    say('The deploy failed.');
    fireEvent.keyDown(document.body, { key: 'Escape' });
    expect(screen.getByRole('status').textContent).toBe('');
  });

  it('leave Escape to an open dialog', () => {
    const say = renderAnnouncer(<dialog open>A question</dialog>);
    say('Deployed “Report”.');
    fireEvent.keyDown(document.body, { key: 'Escape' });
    screen.getByText('Deployed “Report”.');
  });

  it('go by themselves after a while, unless they report a failure or the pointer rests on them', () => {
    vi.useFakeTimers();
    const say = renderAnnouncer();
    say('Deployed “Report”.');
    act(() => vi.advanceTimersByTime(SHOWN_FOR_MS - 100));
    screen.getByText('Deployed “Report”.');
    act(() => vi.advanceTimersByTime(200));
    expect(screen.queryByText('Deployed “Report”.')).toBeNull();

    say('Deploying “Report”…');
    fireEvent.mouseEnter(screen.getByText('Deploying “Report”…').closest('.toast') as HTMLElement);
    act(() => vi.advanceTimersByTime(SHOWN_FOR_MS * 2));
    screen.getByText('Deploying “Report”…');
    fireEvent.mouseLeave(screen.getByText('Deploying “Report”…').closest('.toast') as HTMLElement);
    act(() => vi.advanceTimersByTime(SHOWN_FOR_MS + 100));
    expect(screen.queryByText('Deploying “Report”…')).toBeNull();

    say('The deploy failed.');
    act(() => vi.advanceTimersByTime(SHOWN_FOR_MS * 5));
    screen.getByText('The deploy failed.');
  });
});
