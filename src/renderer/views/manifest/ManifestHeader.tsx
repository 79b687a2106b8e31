import type { ReactNode } from 'react';
import type { ManifestDetails } from '../../../shared/browse';
import type { ManifestSummary } from '../../../shared/manifest-summary';
import { CopyButton, KeyValueTable, formatDate, formatSize, visible } from '../../components/kit';
import { href } from '../../routes/routes';
import { DigestWithCopy } from './DigestWithCopy';

const KIND_WORDS: Record<ManifestSummary['kind'], string> = {
  image: 'Image',
  artifact: 'Artifact',
  index: 'Index',
  unknown: 'Manifest',
};

/** referenceOf is `registry/repository:tag` or `…@digest`, as `oras` and docker take it. */
export function referenceOf(registry: string, repository: string, reference: string): string {
  return `${registry}/${repository}${reference.includes(':') ? '@' : ':'}${reference}`;
}

/** ManifestFacts: the header's facts, the digest copyable, the subject a link. */
export function ManifestFacts({ registry, repository, details, summary, tag }: { registry: string; repository: string; details: ManifestDetails; summary: ManifestSummary; tag?: string }) {
  const digest = details.descriptor.digest;
  const created = details.created ?? summary.created;
  const rows: [string, ReactNode][] = [
    ['Kind', KIND_WORDS[summary.kind]],
    ['Digest', <DigestWithCopy key="d" digest={digest} />],
    ['Media type', <code key="m">{summary.mediaType || details.descriptor.mediaType}</code>],
  ];
  if (summary.artifactType) rows.push(['Artifact type', <code key="a">{visible(summary.artifactType)}</code>]);
  rows.push(['Total size', `${formatSize(details.totalSize)} (manifest ${formatSize(details.descriptor.size)})`]);
  if (created) rows.push(['Created', <time key="c" dateTime={created}>{formatDate(created)}</time>]);
  if (summary.subject) {
    rows.push([
      'Subject',
      <a key="s" href={href({ name: 'manifest', registry, repository, digest: summary.subject.digest })} title={summary.subject.digest}>
        <code>{summary.subject.digest}</code>
      </a>,
    ]);
  }
  rows.push([
    'Reference',
    <span key="r" className="reference-copies">
      {tag && (
        <span className="reference-copy">
          by tag <CopyButton text={referenceOf(registry, repository, tag)} label="Copy reference by tag" />
        </span>
      )}
      <span className="reference-copy">
        by digest <CopyButton text={referenceOf(registry, repository, digest)} label="Copy reference by digest" />
      </span>
    </span>,
  ]);
  return <KeyValueTable label="Manifest" rows={rows} />;
}
