import type { DescriptorInfo } from '../../../shared/browse';
import { TITLE_ANNOTATION, layerTitle } from '../../../shared/manifest-summary';
import { shortDigest, visible } from '../../components/kit';
import { AnnotationList } from './AnnotationList';
import { DescriptorTable, type DescriptorColumn } from './DescriptorTable';

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
  const columns: DescriptorColumn[] = [
    ...(annotated ? [{ header: 'Annotations', cell: (layer: DescriptorInfo) => <AnnotationList annotations={layer.annotations} skip={[TITLE_ANNOTATION]} /> }] : []),
    {
      header: <span className="visually-hidden">Actions</span>,
      cell: (layer) => {
        const title = layerTitle(layer);
        return (
          <button type="button" className="button button-small" aria-label={`Download ${title !== undefined ? visible(title) : shortDigest(layer.digest)}`} onClick={() => onDownload(layer, title)}>
            Download
          </button>
        );
      },
    },
  ];
  return (
    <DescriptorTable
      label="Layers"
      nameHeader="Title"
      registry={registry}
      repository={repository}
      descriptors={layers}
      name={(layer, i) => {
        const title = layerTitle(layer);
        return title !== undefined ? { content: visible(title) } : { content: `Layer ${i + 1}`, standIn: true };
      }}
      columns={columns}
    />
  );
}
