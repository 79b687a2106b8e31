import type { DescriptorInfo } from '../../../shared/browse';
import { ErrorBox, KeyValueTable, Loading, formatSize } from '../../components/kit';
import { useAppStore } from '../../store/react';
import { BlobPreviewPane } from '../blob/BlobPreviewPane';
import { DigestLink } from './DigestLink';
import { useLoad } from './use-load';

/** ConfigSection shows a manifest's config blob: its media type, size, digest and a preview. */
export function ConfigSection({ registry, repository, config }: { registry: string; repository: string; config: DescriptorInfo }) {
  const previewBlob = useAppStore((s) => s.previewBlob);
  const preview = useLoad(() => previewBlob({ registry, repository, digest: config.digest, mediaType: config.mediaType }), [registry, repository, config.digest, config.mediaType]);
  return (
    <>
      <KeyValueTable
        label="Config"
        rows={[
          ['Media type', <code key="m">{config.mediaType}</code>],
          ['Size', formatSize(config.size)],
          ['Digest', <DigestLink key="d" registry={registry} repository={repository} descriptor={config} />],
        ]}
      />
      {preview.status === 'loading' && <Loading label="Reading the config…" />}
      {preview.status === 'error' && <ErrorBox error={preview.error} />}
      {preview.status === 'ready' && <BlobPreviewPane preview={preview.value} label="Config preview" />}
    </>
  );
}
