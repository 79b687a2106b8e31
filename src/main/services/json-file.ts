import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { writeFileAtomic } from '../engine/content/atomic-write';
import { OrasError } from '../engine/errors';
import { fsError, isNotFound } from '../engine/content/fs-error';
import { SerialQueue } from '../engine/content/serial-queue';

/**
 * JsonFile is one small JSON file of the app's own (settings, window state): read
 * through a schema, with a default while it is missing; updated one change at a time
 * and written whole through a temp file and a rename, so a crash never truncates it.
 * A file that exists but does not parse is refused with its path, never overwritten.
 */
export class JsonFile<S extends z.ZodType> {
  private readonly queue = new SerialQueue();

  constructor(
    readonly file: string,
    private readonly schema: S,
    private readonly fallback: () => z.output<S>,
  ) {}

  async read(): Promise<z.output<S>> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if (isNotFound(error)) return this.fallback();
      throw fsError(error, 'read', this.file);
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      throw new OrasError('INVALID_ARGUMENT', `${this.file} is not valid JSON: fix it or move it away`);
    }
    const parsed = this.schema.safeParse(data);
    if (!parsed.success) {
      throw new OrasError('INVALID_ARGUMENT', `${this.file} is not what ORAS Desktop wrote there: fix it or move it away`);
    }
    return parsed.data;
  }

  /** update applies `change` to the current content and writes the result; it returns it. */
  update(change: (current: z.output<S>) => z.output<S>): Promise<z.output<S>> {
    return this.queue.run(async () => {
      const next = change(await this.read());
      await mkdir(path.dirname(this.file), { recursive: true }).catch((error: unknown) => {
        throw fsError(error, 'create folder', path.dirname(this.file));
      });
      await writeFileAtomic(this.file, `${JSON.stringify(next, null, 2)}\n`);
      return next;
    });
  }
}
