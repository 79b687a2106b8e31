import { useEffect, useRef, useState } from 'react';

/**
 * CopyButton copies `text` to the clipboard. Its accessible name says what it copies
 * ("Copy digest"); after a copy it says "Copied" for a moment, which a screen reader
 * hears through the polite live region.
 */
export function CopyButton({ text, label, className = '', caption = 'Copy' }: { text: string; label: string; className?: string; /** The visible word; default "Copy". */ caption?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setState('idle'), 1500);
  };
  return (
    <button type="button" className={`button button-small copy-button ${className}`.trim()} aria-label={label} title={label} onClick={() => void copy()}>
      <span aria-hidden="true">{state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : caption}</span>
      <span className="visually-hidden" aria-live="polite">
        {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed: select the text and copy it yourself' : ''}
      </span>
    </button>
  );
}
