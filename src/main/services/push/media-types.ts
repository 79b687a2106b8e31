import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { fileTypeFromBuffer } from 'file-type';
import { lookup } from 'mime-types';
import { Parser, type ReadEntry } from 'tar';
import type { MediaTypeSuggestion } from '../../../shared/push';
import { isValidMediaType, MediaType } from '../../engine/media-type';

/** HEAD_BYTES is how much of a file is read to guess its type (file-type needs ~4 kB; JSON keys sit near the top). */
const HEAD_BYTES = 64 * 1024;
/** Looking for Chart.yaml stops after this many tar entries or uncompressed bytes. */
const CHART_SCAN_ENTRIES = 200;
const CHART_SCAN_BYTES = 16 * 1024 * 1024;

/** OCI and ORAS media types the composer knows by name. */
export const KnownType = {
  Tar: 'application/vnd.oci.image.layer.v1.tar',
  TarGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  TarZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  HelmChart: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip',
  HelmProvenance: 'application/vnd.cncf.helm.chart.provenance.v1.prov',
  Wasm: 'application/vnd.wasm.content.layer.v1+wasm',
  Spdx: 'application/spdx+json',
  SpdxTagValue: 'text/spdx',
  CycloneDx: 'application/vnd.cyclonedx+json',
  CycloneDxXml: 'application/vnd.cyclonedx+xml',
  InToto: 'application/vnd.in-toto+json',
  CosignSimpleSigning: 'application/vnd.dev.cosign.simplesigning.v1+json',
  SigstoreBundle: 'application/vnd.dev.sigstore.bundle.v0.3+json',
  NotationJws: 'application/jose+json',
  NotationCose: 'application/cose',
} as const;

/** What suggestMediaTypes needs to know about a staged file. */
export interface SuggestInput {
  /** The file's name (its title): the extension is read from it. */
  name: string;
  path: string;
  kind: 'file' | 'directory';
}

/**
 * suggestMediaTypes ranks media types for a file, best first, each with why: what
 * ORAS and OCI tools use for such content (a Helm chart, WASM, an SBOM, a signature,
 * a tar), what its first bytes are (`file-type`), what its extension says
 * (`mime-types`), ORAS's default, then the user's recent types. A folder is a
 * tar+gzip layer, as ORAS packs it. Reads at most 64 KiB of the file (and, for a
 * gzip'd tar, its first entries, to find a Chart.yaml).
 */
export async function suggestMediaTypes(input: SuggestInput, recent: readonly string[] = []): Promise<MediaTypeSuggestion[]> {
  const out: MediaTypeSuggestion[] = [];
  const add = (mediaType: string, reason: string, source: MediaTypeSuggestion['source']): void => {
    if (!isValidMediaType(mediaType) || out.some((s) => s.mediaType === mediaType)) return;
    out.push({ mediaType, reason, source });
  };
  if (input.kind === 'directory') {
    add(KnownType.TarGzip, 'a folder is pushed as a tar+gzip layer, as ORAS packs it', 'oras');
    for (const type of recent) add(type, 'used recently', 'recent');
    return out;
  }
  const name = input.name.toLowerCase();
  const head = await readHead(input.path);
  const detected = await fileTypeFromBuffer(head).catch(() => undefined);
  const text = looksLikeText(head) ? head.toString('utf8') : '';

  // What OCI/ORAS tools expect for such content.
  const gzip = head[0] === 0x1f && head[1] === 0x8b;
  if ((name.endsWith('.tgz') || name.endsWith('.tar.gz')) && gzip && (await hasChartYaml(input.path))) {
    add(KnownType.HelmChart, 'a Helm chart (Chart.yaml inside), as helm push stores it', 'oras');
  }
  if (name.endsWith('.prov')) add(KnownType.HelmProvenance, 'a Helm chart provenance file', 'oras');
  if (name.endsWith('.wasm') || head.subarray(0, 4).equals(Buffer.from([0x00, 0x61, 0x73, 0x6d]))) {
    add(KnownType.Wasm, 'a WebAssembly module, as the WASM OCI artifact layout names it', 'oras');
  }
  if (/"spdxVersion"\s*:/.test(text) || name.endsWith('.spdx.json')) add(KnownType.Spdx, 'an SPDX SBOM (JSON)', 'oras');
  if (name.endsWith('.spdx') && /^SPDXVersion:/m.test(text)) add(KnownType.SpdxTagValue, 'an SPDX SBOM (tag-value)', 'oras');
  if (/"bomFormat"\s*:\s*"CycloneDX"/.test(text) || name.endsWith('.cdx.json')) add(KnownType.CycloneDx, 'a CycloneDX SBOM (JSON)', 'oras');
  if (/<bom[^>]+cyclonedx/i.test(text) || name.endsWith('.cdx.xml')) add(KnownType.CycloneDxXml, 'a CycloneDX SBOM (XML)', 'oras');
  if (/"_type"\s*:\s*"https:\/\/in-toto\.io\/Statement/.test(text) || /"payloadType"\s*:\s*"application\/vnd\.in-toto\+json"/.test(text)) {
    add(KnownType.InToto, 'an in-toto attestation', 'oras');
  }
  if (/"critical"\s*:\s*\{[\s\S]*"docker-manifest-digest"/.test(text)) add(KnownType.CosignSimpleSigning, 'a cosign simple-signing payload', 'oras');
  if (/"mediaType"\s*:\s*"application\/vnd\.dev\.sigstore\.bundle/.test(text) || name.endsWith('.sigstore.json')) {
    add(KnownType.SigstoreBundle, 'a Sigstore bundle (cosign)', 'oras');
  }
  if (name.endsWith('.jws') || (/"protected"\s*:/.test(text) && /"signature"\s*:/.test(text) && /"payload"\s*:/.test(text))) {
    add(KnownType.NotationJws, 'a JWS signature envelope, as Notation writes', 'oras');
  }
  if (name.endsWith('.cose')) add(KnownType.NotationCose, 'a COSE signature envelope, as Notation writes', 'oras');
  if (name.endsWith('.sig')) add(KnownType.NotationJws, 'a signature file (Notation JWS; cosign uses its own payload types)', 'oras');
  const zstd = head.subarray(0, 4).equals(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]));
  if (name.endsWith('.tar.zst') || name.endsWith('.tar.zstd') || name.endsWith('.tzst') || (zstd && name.includes('.tar'))) {
    add(KnownType.TarZstd, 'a zstd-compressed tar: an OCI image layer', 'oras');
  }
  if (name.endsWith('.tar.gz') || name.endsWith('.tgz') || (gzip && name.includes('.tar'))) add(KnownType.TarGzip, 'a gzip-compressed tar: an OCI image layer', 'oras');
  if (name.endsWith('.tar') || detected?.ext === 'tar') add(KnownType.Tar, 'a tar: an OCI image layer', 'oras');

  // What the bytes are, then what the name says.
  if (detected) add(detected.mime, `the content looks like ${detected.ext.toUpperCase()}`, 'content');
  const byName = lookup(input.name);
  if (byName) add(byName, `from the ${extensionOf(name)} extension`, 'extension');
  if (!detected && text !== '' && isJson(text)) add('application/json', 'the content is JSON', 'content');
  if (!detected && !byName && text !== '' && head.length > 0) add('text/plain', 'the content is text', 'content');

  add(MediaType.DefaultLayer, "ORAS's default for a file", 'default');
  for (const type of recent) add(type, 'used recently', 'recent');
  return out;
}

async function readHead(file: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** looksLikeText: valid UTF-8 without NUL bytes in the head (a cut multi-byte character at the end is fine). */
function looksLikeText(head: Buffer): boolean {
  if (head.includes(0)) return false;
  const decoded = head.toString('utf8');
  return (decoded.match(/\uFFFD/g)?.length ?? 0) <= 1;
}

function isJson(text: string): boolean {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    // A head cut short of the end is still JSON when it starts like it.
    return text.length >= HEAD_BYTES;
  }
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? name : name.slice(dot);
}

/**
 * hasChartYaml reads a gzip'd tar's first entries looking for `<chart>/Chart.yaml`, as
 * helm packages charts; it stops at the first hit or after a bounded scan.
 */
async function hasChartYaml(file: string): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    let entries = 0;
    let settled = false;
    const source = createReadStream(file);
    const gunzip = createGunzip();
    const finish = (found: boolean): void => {
      if (settled) return;
      settled = true;
      source.destroy();
      gunzip.destroy();
      resolve(found);
    };
    const parser = new Parser({
      onReadEntry: (entry: ReadEntry) => {
        entries += 1;
        if (/^[^/]+\/Chart\.yaml$/.test(entry.path)) finish(true);
        else if (entries >= CHART_SCAN_ENTRIES) finish(false);
        entry.resume();
      },
    });
    let bytes = 0;
    gunzip.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > CHART_SCAN_BYTES) finish(false);
      else if (!settled) parser.write(chunk);
    });
    gunzip.on('end', () => {
      parser.end();
      parser.on('end', () => finish(false));
      setImmediate(() => finish(false));
    });
    gunzip.on('error', () => finish(false));
    source.on('error', () => finish(false));
    parser.on('error', () => finish(false));
    source.pipe(gunzip);
  });
}
