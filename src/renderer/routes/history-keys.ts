/**
 * historyStep says which way a key or mouse event moves in history: Alt+← / Alt+→
 * and the mouse's back (3) and forward (4) buttons. Browsers do this themselves;
 * Electron does not, so the app listens for them. Undefined for anything else, and
 * for Alt+arrows typed into a text field (where they move the caret on some systems).
 */
export function historyStep(event: {
  type: string;
  key?: string;
  altKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
  shiftKey?: boolean;
  button?: number;
  target?: unknown;
}): -1 | 1 | undefined {
  if (event.type === 'mouseup') {
    if (event.button === 3) return -1;
    if (event.button === 4) return 1;
    return undefined;
  }
  if (event.type !== 'keydown' || !event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return undefined;
  if (isTextField(event.target)) return undefined;
  if (event.key === 'ArrowLeft') return -1;
  if (event.key === 'ArrowRight') return 1;
  return undefined;
}

function isTextField(target: unknown): boolean {
  const el = target as { tagName?: string; isContentEditable?: boolean } | null;
  if (!el || typeof el !== 'object') return false;
  return el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.isContentEditable === true;
}
