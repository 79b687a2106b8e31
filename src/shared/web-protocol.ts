/**
 * The wire of browser mode (`npm run web`): how the page's shim
 * (`browser-bridge.ts`) and main's loopback server (`src/main/web/server.ts`) talk.
 * Plain constants, no Node or DOM import, so both sides share them.
 *
 * - `POST /api/<channel>`: JSON request body, JSON `Result` answer.
 * - `GET /api/events`: Server-Sent Events, one `event: <name>` per `Events` entry.
 * - `POST /api/upload`: one file as the raw body, its name in `x-oras-file-name`
 *   (percent-encoded); answers `Result<StagedFile>`. A file of a folder carries instead
 *   its path inside the folder, the folder's own name first (`x-oras-folder-path`,
 *   `photos/2024/a.jpg`, percent-encoded), and from the second file on the staged
 *   folder's id (`x-oras-folder-id`): the folder's files land in ONE staged folder,
 *   and each answer is that folder.
 * - `GET /api/download/<id>`: a file main offered once (`SavedFile.browserDownload`).
 *
 * Every request carries the per-run token: the `x-oras-token` header, or the cookie
 * the server sets when the page is first loaded with `?token=…`.
 */
export const WEB_TOKEN_HEADER = 'x-oras-token';
export const WEB_TOKEN_QUERY = 'token';
export const WEB_API_PREFIX = '/api/';
export const WEB_EVENTS_PATH = '/api/events';
export const WEB_UPLOAD_PATH = '/api/upload';
export const WEB_DOWNLOAD_PREFIX = '/api/download/';
export const WEB_FILE_NAME_HEADER = 'x-oras-file-name';
export const WEB_FOLDER_PATH_HEADER = 'x-oras-folder-path';
export const WEB_FOLDER_ID_HEADER = 'x-oras-folder-id';
/** With the value `directory`: the folder path names an (empty) folder to make, and the body is empty. */
export const WEB_FOLDER_ENTRY_HEADER = 'x-oras-folder-entry';

/** webTokenCookie names the token cookie; the port is in it because cookies ignore ports. */
export const webTokenCookie = (port: number | string): string => `oras-token-${port}`;
