import type { ReferrerNode } from '../../../shared/browse';
import { CREATED_ANNOTATION } from '../../../shared/manifest-summary';
import { EmptyState, formatDate, formatSize, shortDigest, visible } from '../../components/kit';
import { href } from '../../routes/routes';
import { useAppStore } from '../../store/react';
import { LoadStatus } from './LoadStatus';
import { useLoad } from './use-load';

/**
 * ReferrersTree shows what refers to a manifest (signatures, SBOMs, anything attached)
 * and what refers to those, as main found them (the referrers API, or the tag-schema
 * fallback); each node opens its manifest.
 */
export function ReferrersTree({ registry, repository, digest }: { registry: string; repository: string; digest: string }) {
  const loadReferrers = useAppStore((s) => s.loadReferrers);
  const tree = useLoad(() => loadReferrers({ registry, repository, digest }), [registry, repository, digest]);
  if (tree.status !== 'ready') return <LoadStatus loaded={tree} label="Looking for referrers…" />;
  if (tree.value.referrers.length === 0) return <EmptyState title="No referrers">Nothing in this repository refers to this manifest.</EmptyState>;
  return (
    <div className="scroll-box referrers-box">
      <Nodes nodes={tree.value.referrers} registry={registry} repository={repository} />
    </div>
  );
}

function Nodes({ nodes, registry, repository }: { nodes: ReferrerNode[]; registry: string; repository: string }) {
  return (
    <ul className="referrer-list">
      {nodes.map((node) => {
        const d = node.descriptor;
        const created = d.annotations?.[CREATED_ANNOTATION];
        return (
          <li key={d.digest}>
            <a href={href({ name: 'manifest', registry, repository, digest: d.digest })} className="referrer-link">
              <span className="referrer-type">{visible(d.artifactType ?? d.mediaType)}</span> <code>{shortDigest(d.digest)}</code>
            </a>
            <span className="muted">
              {' '}
              · {formatSize(d.size)}
              {created ? ` · ${formatDate(created)}` : ''}
            </span>
            {node.referrers.length > 0 && <Nodes nodes={node.referrers} registry={registry} repository={repository} />}
          </li>
        );
      })}
    </ul>
  );
}
