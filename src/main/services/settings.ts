import path from 'node:path';
import { z } from 'zod';
import { connectionOptionsSchema, type ConnectionOptions } from '../../shared/contract';
import { JsonFile } from './json-file';

/** SETTINGS_FILE is the settings' name inside the data folder. */
export const SETTINGS_FILE = 'settings.json';

const savedRegistrySchema = z.object({ registry: z.string().min(1), options: connectionOptionsSchema });
const settingsSchema = z.object({
  version: z.literal(1),
  /** Registries in the sidebar, in the order added, with their non-secret connection options. */
  registries: z.array(savedRegistrySchema),
});
export type Settings = z.infer<typeof settingsSchema>;
export type SavedRegistry = z.infer<typeof savedRegistrySchema>;

/**
 * SettingsStore keeps `settings.json` in the data folder: the saved registries and
 * how to reach them. Never a secret: logins live with the credentials service.
 */
export class SettingsStore {
  private readonly file: JsonFile<typeof settingsSchema>;

  constructor(dataDir: string) {
    this.file = new JsonFile(path.join(dataDir, SETTINGS_FILE), settingsSchema, () => ({ version: 1, registries: [] }));
  }

  async registries(): Promise<SavedRegistry[]> {
    return (await this.file.read()).registries;
  }

  async get(registry: string): Promise<SavedRegistry | undefined> {
    return (await this.registries()).find((r) => r.registry === registry);
  }

  /** put adds a registry at the end, or replaces its options where it is. */
  async put(registry: string, options: ConnectionOptions): Promise<void> {
    await this.file.update((s) => {
      const entry = { registry, options };
      const at = s.registries.findIndex((r) => r.registry === registry);
      const registries = at === -1 ? [...s.registries, entry] : s.registries.map((r, i) => (i === at ? entry : r));
      return { ...s, registries };
    });
  }

  /** delete removes a registry; false when it was not there. */
  async delete(registry: string): Promise<boolean> {
    let found = false;
    await this.file.update((s) => {
      found = s.registries.some((r) => r.registry === registry);
      return { ...s, registries: s.registries.filter((r) => r.registry !== registry) };
    });
    return found;
  }
}
