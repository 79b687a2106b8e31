import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * findOnDisk reads every regular file under `dirs` (sockets, links and files over
 * 64 MiB are skipped) and returns `file: needle` for each needle found in one, so a
 * test can say that a password, or its base64, lies nowhere on disk.
 */
export async function findOnDisk(dirs: string[], needles: string[]): Promise<string[]> {
  const found: string[] = [];
  const wanted = needles.filter((n) => n !== '').map((n) => [n, Buffer.from(n, 'utf8')] as const);
  const visit = async (file: string): Promise<void> => {
    let info;
    try {
      info = await lstat(file);
    } catch {
      return; // gone meanwhile (a daemon's temp file)
    }
    if (info.isDirectory()) {
      for (const entry of await readdir(file).catch(() => [] as string[])) await visit(path.join(file, entry));
      return;
    }
    if (!info.isFile() || info.size > 64 * 1024 * 1024) return;
    const bytes = await readFile(file).catch(() => undefined);
    if (!bytes) return;
    for (const [text, needle] of wanted) if (bytes.includes(needle)) found.push(`${file}: ${text}`);
  };
  for (const dir of dirs) await visit(dir);
  return found;
}

/** secretForms are the ways a password shows up in Docker-style files: itself and base64 of user:password. */
export function secretForms(username: string, password: string): string[] {
  return [password, Buffer.from(`${username}:${password}`).toString('base64'), Buffer.from(password).toString('base64')];
}
