import type { Readable } from 'node:stream';
import { extract } from 'tar-stream';

/** readAll reads a whole stream (tests only: small content) into one buffer. */
export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** untar reads a tar archive into entry name → text, for comparing a pulled archive with what was pushed. */
export async function untar(bytes: Buffer): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  const reader = extract();
  const done = new Promise<void>((resolve, reject) => {
    reader.on('entry', (header, stream, next) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: unknown) => chunks.push(c as Buffer));
      stream.on('end', () => {
        files[header.name] = Buffer.concat(chunks).toString('utf8');
        next();
      });
    });
    reader.on('finish', () => resolve());
    reader.on('error', reject);
  });
  reader.end(bytes);
  await done;
  return files;
}
