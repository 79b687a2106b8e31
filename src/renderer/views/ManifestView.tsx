import { useMemo, useState, type ReactNode } from 'react';
import type { DescriptorInfo, ManifestDetails } from '../../shared/browse';
import type { SerializedError } from '../../shared/error-codes';
import { summarizeManifest } from '../../shared/manifest-summary';
import { orasCommand } from '../../shared/oras-command';
import { AddTagsDialog } from '../components/AddTagsDialog';
import { DeleteManifestDialog } from '../components/DeleteManifestDialog';
import { EmptyState, ErrorBox, shortDigest, visible } from '../components/kit';
import { navigate } from '../routes/use-route';
import { toServiceError } from '../services/oras';
import { useAppStore } from '../store/react';
import { CommandLine } from './manifest/CommandLine';
import { CopyDialog } from './push/CopyDialog';
import { CompareSection } from './manifest/CompareSection';
import { ConfigSection } from './manifest/ConfigSection';
import { DetailHeader } from './manifest/DetailHeader';
import { LayersTable } from './manifest/LayersTable';
import { LoadStatus } from './manifest/LoadStatus';
import { ManifestFacts } from './manifest/ManifestHeader';
import { PlatformsTable } from './manifest/PlatformsTable';
import { RawJson } from './manifest/RawJson';
import { ReferrersTree } from './manifest/ReferrersTree';
import { useLoad } from './manifest/use-load';
import './manifest.css';

export interface ManifestViewProps {
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
}

type Dialog = 'add-tags' | 'delete' | 'copy' | null;

/**
 * ManifestView is the manifest route (by tag or digest): the header's facts, the
 * layers (each downloadable) or an index's platforms, the config with a preview, the
 * referrers tree, the raw JSON with every digest a link, a comparison with another
 * tag, and the actions: pull all files, add tags, delete, with the `oras` lines that
 * do the same.
 */
export function ManifestView({ registry, repository, tag, digest }: ManifestViewProps) {
  const reference = digest ?? tag ?? 'latest';
  const shownTag = digest ? undefined : reference;
  const loadManifest = useAppStore((s) => s.loadManifest);
  const loaded = useLoad(() => loadManifest({ registry, repository, reference }), [registry, repository, reference]);

  const title = digest ? `${repository}@${shortDigest(digest)}` : `${repository}:${reference}`;
  return (
    <section className="manifest-view" aria-labelledby="manifest-heading">
      <DetailHeader id="manifest-heading">{title}</DetailHeader>
      <LoadStatus loaded={loaded} label="Reading the manifest…" />
      {loaded.status === 'ready' && <ManifestBody registry={registry} repository={repository} tag={shownTag} details={loaded.value} />}
    </section>
  );
}

function ManifestBody({ registry, repository, tag, details }: { registry: string; repository: string; tag?: string; details: ManifestDetails }) {
  const entry = useAppStore((s) => s.entries.find((e) => e.id === registry));
  const startJob = useAppStore((s) => s.startJob);
  const startPushTo = useAppStore((s) => s.startPushTo);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [actionError, setActionError] = useState<SerializedError>();
  const [notice, setNotice] = useState('');
  const digest = details.descriptor.digest;
  const parsed = useMemo(() => {
    try {
      return { summary: summarizeManifest(details.raw, details.descriptor.mediaType), json: JSON.parse(details.raw) as unknown };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }, [details.raw, details.descriptor.mediaType]);

  const start = async (run: () => Promise<unknown>) => {
    setActionError(undefined);
    try {
      await run();
    } catch (error) {
      setActionError(toServiceError(error).toJSON());
    }
  };
  const downloadLayer = (layer: DescriptorInfo, title: string | undefined) =>
    void start(() =>
      startJob(
        { method: 'downloadBlob', request: { registry, repository, digest: layer.digest, mediaType: layer.mediaType, ...(title ? { name: title } : {}) } },
        `Download ${title !== undefined ? visible(title) : shortDigest(layer.digest)}`,
      ),
    );
  const pullAll = () => void start(() => startJob({ method: 'downloadPull', request: { registry, repository, reference: digest } }, `Pull ${repository}:${tag ?? shortDigest(digest)}`));

  if ('error' in parsed) {
    return <ErrorBox error={{ code: 'INVALID_MANIFEST', message: `The registry sent a manifest this page cannot read: ${parsed.error}` }} />;
  }
  const { summary, json } = parsed;
  const hasFiles = summary.layers.length > 0;
  return (
    <>
      <ManifestFacts registry={registry} repository={repository} details={details} summary={summary} tag={tag} />
      <div className="view-actions" role="group" aria-label="Manifest actions">
        {hasFiles && (
          <button type="button" className="button button-primary" onClick={pullAll}>
            Pull all files
          </button>
        )}
        <button type="button" className="button" onClick={() => setDialog('add-tags')}>
          Add tag…
        </button>
        <button type="button" className="button" onClick={() => void startPushTo({ registry, repository, subject: digest }).then(() => navigate({ name: 'push' }))}>
          Attach files…
        </button>
        <button type="button" className="button" onClick={() => setDialog('copy')}>
          Copy to…
        </button>
        <button type="button" className="button button-danger" onClick={() => setDialog('delete')}>
          Delete…
        </button>
      </div>
      <p className="status status-ok" role="status">
        {notice}
      </p>
      {actionError && <ErrorBox error={actionError} />}
      <div className="commands">
        <CommandLine label="oras manifest fetch" command={orasCommand({ kind: 'manifest-fetch', registry, repository, reference: tag ?? digest }, entry)} />
        {summary.kind !== 'index' && <CommandLine label="oras pull" command={orasCommand({ kind: 'pull', registry, repository, reference: tag ?? digest }, entry)} />}
      </div>

      {summary.kind === 'index' || summary.manifests.length > 0 ? (
        <Section id="platforms" title={`Platforms (${summary.manifests.length})`}>
          {summary.manifests.length === 0 ? <EmptyState title="This index lists no manifests" /> : <PlatformsTable registry={registry} repository={repository} manifests={summary.manifests} />}
        </Section>
      ) : (
        <Section id="layers" title={`Layers (${summary.layers.length})`}>
          {summary.layers.length === 0 ? <EmptyState title="No layers" /> : <LayersTable registry={registry} repository={repository} layers={summary.layers} onDownload={downloadLayer} />}
        </Section>
      )}
      {summary.config && (
        <Section id="config" title="Config">
          <ConfigSection registry={registry} repository={repository} config={summary.config} />
        </Section>
      )}
      <Section id="referrers" title="Referrers">
        <ReferrersTree registry={registry} repository={repository} digest={digest} />
        <CommandLine label="oras discover" command={orasCommand({ kind: 'discover', registry, repository, reference: digest }, entry)} />
      </Section>
      <Section id="raw" title="Raw JSON">
        <RawJson value={json} registry={registry} repository={repository} />
      </Section>
      <Section id="compare" title="Compare with another tag">
        <CompareSection registry={registry} repository={repository} summary={summary} tag={tag} />
      </Section>

      {dialog === 'add-tags' && (
        <AddTagsDialog
          registry={registry}
          repository={repository}
          digest={digest}
          onClose={() => setDialog(null)}
          onDone={(tags) => {
            setDialog(null);
            setNotice(`Tagged ${tags.join(', ')}.`);
          }}
        />
      )}
      {dialog === 'copy' && (
        <CopyDialog
          registry={registry}
          repository={repository}
          digest={digest}
          tag={tag}
          onClose={() => setDialog(null)}
          onStarted={(to) => {
            setDialog(null);
            setNotice(`Copying to ${to}: see Transfers.`);
          }}
        />
      )}
      {dialog === 'delete' && (
        <DeleteManifestDialog
          registry={registry}
          repository={repository}
          digest={digest}
          tag={tag}
          onClose={() => setDialog(null)}
          onDeleted={() => {
            setDialog(null);
            // The manifest is gone: back to the repository's tags (their cache was dropped).
            navigate({ name: 'tags', registry, repository });
          }}
        />
      )}
    </>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="view-section" aria-labelledby={`manifest-${id}-heading`}>
      <h3 id={`manifest-${id}-heading`}>{title}</h3>
      {children}
    </section>
  );
}

