/**
 * FOCUS_FALLBACK_ID names the control that takes focus when the one that opened a
 * dialog or menu is gone (a removed registry's row): the sidebar's "Add registry".
 */
export const FOCUS_FALLBACK_ID = 'add-registry-button';

/** restoreFocus puts focus back on `element`, or on the fallback when it left the page. */
export function restoreFocus(element: Element | null): void {
  const target = element instanceof HTMLElement && element.isConnected ? element : document.getElementById(FOCUS_FALLBACK_ID);
  target?.focus();
}
