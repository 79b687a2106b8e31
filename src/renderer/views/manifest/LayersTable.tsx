import type { DescriptorInfo } from '../../../shared/browse';
import { TITLE_ANNOTATION, layerTitle } from '../../../shared/manifest-summary';
import { formatSize, shortDigest, visible } from '../../components/kit';
import { AnnotationList } from './AnnotationList';
import { DigestLink } from './DigestLink';

/**
 * LayersTable lists a manifest's layers (an artifact's files): title, media type, size,
 * digest (opening the blob view), other annotations, and a Download button each.
 */
export function LayersTable({
  registry,
  repository,
  layers,
  onDownload,
}: {
  registry: string;
  repository: string;
  layers: DescriptorInfo[];
  onDownload(layer: DescriptorInfo, title: string | undefined): void;
}) {
  // The column shows only when some layer has annotations beyond its title (most have none).
  const annotated = layers.some((l) => Object.keys(l.annotations ?? {}).some((key) => key !== TITLE_ANNOTATION));
  return (
    <div className="table-box scroll-box" role="region" aria-label="Layers" tabIndex={0}>
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">Title</th>
            <th scope="col">Media type</th>
            <th scope="col" className="numeric">
              Size
            </th>
            <th scope="col">Digest</th>
            {annotated && <th scope="col">Annotations</th>}
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {layers.map((layer, i) => {
            const title = layerTitle(layer);
            const name = title !== undefined ? visible(title) : `Layer ${i + 1}`;
            return (
              <tr key={`${layer.digest}-${i}`}>
                <th scope="row" className={title === undefined ? 'muted' : undefined}>
                  {name}
                </th>
                <td>
                  <code>{layer.mediaType}</code>
                </td>
                <td className="numeric">{formatSize(layer.size)}</td>
                <td>
                  <DigestLink registry={registry} repository={repository} descriptor={layer} />
                </td>
                {annotated && (
                  <td>
                    <AnnotationList annotations={layer.annotations} skip={[TITLE_ANNOTATION]} />
                  </td>
                )}
                <td>
                  <button
                    type="button"
                    className="button button-small"
                    aria-label={`Download ${title !== undefined ? visible(title) : shortDigest(layer.digest)}`}
                    onClick={() => onDownload(layer, title)}
                  >
                    Download
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
