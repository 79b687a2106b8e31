import type { DescriptorInfo } from '../../../shared/browse';
import { href } from '../../routes/routes';
import { platformName } from './compare';
import { DescriptorTable } from './DescriptorTable';

/** PlatformsTable lists an index's manifests: platform (opening it), media type, size, digest. */
export function PlatformsTable({ registry, repository, manifests }: { registry: string; repository: string; manifests: DescriptorInfo[] }) {
  return (
    <DescriptorTable
      label="Platforms"
      nameHeader="Platform"
      registry={registry}
      repository={repository}
      descriptors={manifests}
      name={(child, i) => ({
        content: (
          <>
            <a href={href({ name: 'manifest', registry, repository, digest: child.digest })}>{platformName(child.platform) ?? child.artifactType ?? `Manifest ${i + 1}`}</a>
            {child.platform?.['os.version'] && <span className="muted"> {child.platform['os.version']}</span>}
          </>
        ),
      })}
    />
  );
}
