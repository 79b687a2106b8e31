import { useState } from 'react';
import type { SerializedError } from '../../shared/error-codes';
import { orasCommand } from '../../shared/oras-command';
import { ErrorBox, KeyValueTable, formatSize, shortDigest } from '../components/kit';
import { toServiceError } from '../services/oras';
import { useAppStore } from '../store/react';
import { BlobPreviewPane } from './blob/BlobPreviewPane';
import { CommandLine } from './manifest/CommandLine';
import { DetailHeader } from './manifest/DetailHeader';
import { DigestWithCopy } from './manifest/DigestWithCopy';
import { LoadStatus } from './manifest/LoadStatus';
import { useLoad } from './manifest/use-load';
import './manifest.css';

/**
 * BlobView is the blob route: a blob's size, media type and digest, a preview of its
 * first 64 KiB (nothing larger is read for it), a Download that runs as a job, and the
 * `oras blob fetch` line that saves the same bytes.
 */
export function BlobView({ registry, repository, digest }: { registry: string; repository: string; digest: string }) {
  const previewBlob = useAppStore((s) => s.previewBlob);
  const startJob = useAppStore((s) => s.startJob);
  const entry = useAppStore((s) => s.entries.find((e) => e.id === registry));
  const loaded = useLoad(() => previewBlob({ registry, repository, digest }), [registry, repository, digest]);
  const [downloadError, setDownloadError] = useState<SerializedError>();
  const fileName = digest.slice(digest.indexOf(':') + 1);

  const download = async () => {
    setDownloadError(undefined);
    const mediaType = loaded.status === 'ready' ? loaded.value.mediaType : undefined;
    try {
      await startJob({ method: 'downloadBlob', request: { registry, repository, digest, ...(mediaType ? { mediaType } : {}) } }, `Download ${shortDigest(digest)}`);
    } catch (error) {
      setDownloadError(toServiceError(error).toJSON());
    }
  };

  return (
    <section className="manifest-view" aria-labelledby="blob-heading">
      <DetailHeader id="blob-heading" subtitle={`in ${repository}`}>
        Blob <code>{shortDigest(digest)}</code>
      </DetailHeader>
      <LoadStatus loaded={loaded} label="Reading the blob…" />
      <KeyValueTable
        label="Blob"
        rows={[
          ['Digest', <DigestWithCopy key="d" digest={digest} />],
          ['Size', loaded.status === 'ready' ? `${formatSize(loaded.value.size)} (${loaded.value.size.toLocaleString('en-US')} bytes)` : '—'],
          ['Media type', loaded.status === 'ready' ? <code>{loaded.value.mediaType ?? 'not known'}</code> : '—'],
        ]}
      />
      <div className="view-actions">
        <button type="button" className="button button-primary" onClick={() => void download()}>
          Download
        </button>
      </div>
      {downloadError && <ErrorBox error={downloadError} />}
      <CommandLine label="oras blob fetch" command={orasCommand({ kind: 'blob-fetch', registry, repository, digest, output: fileName }, entry)} />
      {loaded.status === 'ready' && (
        <section className="view-section" aria-labelledby="blob-preview-heading">
          <h3 id="blob-preview-heading">Preview</h3>
          <BlobPreviewPane preview={loaded.value} label="Blob preview" />
        </section>
      )}
    </section>
  );
}
