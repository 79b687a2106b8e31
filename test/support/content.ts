import { digestOf } from '../../src/main/engine/digest';
import type { Descriptor } from '../../src/main/engine/descriptor';
import { MediaType } from '../../src/main/engine/media-type';

/** Content is bytes with the descriptor that names them. */
export interface Content {
  desc: Descriptor;
  bytes: Buffer;
}

/** blob describes bytes as a blob of `mediaType`. */
export function blob(content: string | Buffer, mediaType = 'application/octet-stream'): Content {
  const bytes = Buffer.from(content);
  return { desc: { mediaType, digest: digestOf(bytes), size: bytes.byteLength }, bytes };
}

/** manifestFor writes an image manifest (compact JSON) over a config and layers. */
export function manifestFor(config: Descriptor, layers: Descriptor[], extra: Record<string, unknown> = {}): Content {
  const bytes = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MediaType.ImageManifest, config, layers, ...extra }));
  return { desc: { mediaType: MediaType.ImageManifest, digest: digestOf(bytes), size: bytes.byteLength }, bytes };
}
