import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { channelNames, ipcChannel } from '../../shared/contract';
import { fail } from '../api/errors';
import type { HandlerTable } from '../api/handlers';
import type { EventBus } from '../services/events';
import { isNavigationAllowed } from './window';

/**
 * The Electron transport of the handlers: one `ipcMain.handle` per channel, each
 * answering only the app's own page, and events pushed with `webContents.send`.
 * Everything else (validation, errors) is the handlers' job, shared with browser mode.
 */

type SenderFrame = Pick<NonNullable<IpcMainInvokeEvent['senderFrame']>, 'url' | 'parent'>;

/**
 * isTrustedSender: only the top frame of a page on the app's own origin (that of
 * `entryUrl`, i.e. `app://oras`, or the dev server while unpackaged) may call main. A
 * frame that is gone (null), a sub-frame, or a page that navigated elsewhere is refused.
 * Electron's security guide, item 17 (validate the sender of all IPC messages).
 */
export function isTrustedSender(frame: SenderFrame | null | undefined, entryUrl: string): boolean {
  if (!frame || frame.parent) return false;
  return isNavigationAllowed(frame.url, entryUrl);
}

/** FOREIGN_SENDER is the answer to a frame that may not call main. */
export const FOREIGN_SENDER = { code: 'DENIED', message: 'this page may not call ORAS Desktop' } as const;

/** bindIpc registers every channel's handler on `ipcMain`; the returned function removes them. */
export function bindIpc(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, table: HandlerTable, entryUrl: string): () => void {
  for (const channel of channelNames) {
    ipcMain.handle(ipcChannel(channel), (event: IpcMainInvokeEvent, request: unknown) => {
      if (!isTrustedSender(event.senderFrame, entryUrl)) return Promise.resolve(fail(FOREIGN_SENDER));
      return table[channel](request);
    });
  }
  return () => {
    for (const channel of channelNames) ipcMain.removeHandler(ipcChannel(channel));
  };
}

/**
 * forwardEvents sends every service event to the app's own pages among `targets()`
 * (all windows' web contents); the returned function stops it.
 */
export function forwardEvents(
  events: EventBus,
  targets: () => readonly Pick<WebContents, 'isDestroyed' | 'getURL' | 'send'>[],
  entryUrl: string,
): () => void {
  return events.subscribe((name, payload) => {
    for (const contents of targets()) {
      if (!contents.isDestroyed() && isNavigationAllowed(contents.getURL(), entryUrl)) {
        contents.send(ipcChannel(name), payload);
      }
    }
  });
}
