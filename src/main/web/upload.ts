import type { IncomingMessage, ServerResponse } from 'node:http';
import { WEB_FILE_NAME_HEADER, WEB_FOLDER_ENTRY_HEADER, WEB_FOLDER_ID_HEADER, WEB_FOLDER_PATH_HEADER } from '../../shared/web-protocol';
import type { StagingArea } from '../services/staging';
import { decodedHeader, sendJson } from './http';

/**
 * receiveUpload answers `POST /api/upload`: the body is one file, streamed into the
 * staging area (which hashes it as it arrives). Its name comes percent-encoded in
 * `x-oras-file-name`; a file of a folder names its relative path and the staged
 * folder instead, and a folder entry header makes an (empty) folder. A request that
 * closes before its end aborts the write, leaving nothing staged.
 */
export async function receiveUpload(staging: StagingArea, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const name = decodedHeader(req, WEB_FILE_NAME_HEADER) ?? 'file';
  const folderPath = decodedHeader(req, WEB_FOLDER_PATH_HEADER);
  const folderId = decodedHeader(req, WEB_FOLDER_ID_HEADER);
  const directory = req.headers[WEB_FOLDER_ENTRY_HEADER] === 'directory';
  const controller = new AbortController();
  const abort = (): void => {
    if (!req.complete) controller.abort();
  };
  req.once('close', abort);
  // The length the browser announced: a large upload is hashed on a thread of its own.
  const length = Number(req.headers['content-length']);
  const expectedSize = Number.isSafeInteger(length) && length >= 0 ? length : undefined;
  try {
    const staged =
      folderPath === undefined
        ? await staging.receive(name, req, controller.signal, expectedSize)
        : await staging.receiveInFolder(folderPath, req, { signal: controller.signal, directory, ...(folderId ? { folderId } : {}) });
    sendJson(res, 200, { ok: true, value: staged });
  } finally {
    req.off('close', abort);
  }
}
