import { useEffect, useMemo, useState } from 'react';
import type { BlobPreview } from '../../../shared/browse';
import { formatSize } from '../../components/kit';
import { base64Bytes, hexRows, previewKind } from './preview';

/** HEX_ROWS_SHOWN caps the hex rows in the DOM (4 KiB); the rest of the head is not drawn. */
const HEX_ROWS_SHOWN = 256;

/**
 * BlobPreviewPane shows a blob's first bytes (main read at most 64 KiB): pretty JSON,
 * text, an image (through a blob: URL, which the CSP's img-src allows), or a hex dump;
 * and says when what it shows is only the start of the blob.
 */
export function BlobPreviewPane({ preview, label }: { preview: BlobPreview; label: string }) {
  const bytes = useMemo(() => base64Bytes(preview.head), [preview.head]);
  const kind = useMemo(() => previewKind(bytes, preview.mediaType, preview.complete), [bytes, preview.mediaType, preview.complete]);
  return (
    <div className="blob-preview">
      {!preview.complete && (
        <p className="muted preview-extent">
          Showing the first {formatSize(bytes.length)} of {formatSize(preview.size)}.
        </p>
      )}
      {kind.kind === 'image' && <ImagePreview bytes={bytes} mimeType={kind.mimeType} label={label} />}
      {(kind.kind === 'json' || kind.kind === 'text') && (
        <pre className="preview-text scroll-box" tabIndex={0} role="region" aria-label={label}>
          {kind.text || '(empty)'}
        </pre>
      )}
      {kind.kind === 'hex' && <HexDump bytes={bytes} label={label} />}
    </div>
  );
}

function ImagePreview({ bytes, mimeType, label }: { bytes: Uint8Array; mimeType: string; label: string }) {
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    const made = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mimeType }));
    setUrl(made);
    return () => URL.revokeObjectURL(made);
  }, [bytes, mimeType]);
  return <div className="preview-image scroll-box">{url && <img src={url} alt={label} />}</div>;
}

function HexDump({ bytes, label }: { bytes: Uint8Array; label: string }) {
  const rows = useMemo(() => hexRows(bytes.subarray(0, HEX_ROWS_SHOWN * 16)), [bytes]);
  return (
    <div className="hex-dump scroll-box" tabIndex={0} role="region" aria-label={label}>
      <table className="hex-table">
        <thead>
          <tr>
            <th scope="col">Offset</th>
            <th scope="col">Hex</th>
            <th scope="col">ASCII</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.offset}>
              <td className="hex-offset">{row.offset}</td>
              <td className="hex-bytes">{row.hex}</td>
              <td className="hex-ascii">{row.ascii}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {bytes.length > HEX_ROWS_SHOWN * 16 && <p className="muted">First {formatSize(HEX_ROWS_SHOWN * 16)} shown as hex.</p>}
    </div>
  );
}
