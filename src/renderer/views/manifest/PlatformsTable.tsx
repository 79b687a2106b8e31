import type { DescriptorInfo } from '../../../shared/browse';
import { formatSize } from '../../components/kit';
import { href } from '../../routes/routes';
import { platformName } from './compare';
import { DigestLink } from './DigestLink';

/** PlatformsTable lists an index's manifests: platform (opening it), media type, size, digest. */
export function PlatformsTable({ registry, repository, manifests }: { registry: string; repository: string; manifests: DescriptorInfo[] }) {
  return (
    <div className="table-box scroll-box" role="region" aria-label="Platforms" tabIndex={0}>
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">Platform</th>
            <th scope="col">Media type</th>
            <th scope="col" className="numeric">
              Size
            </th>
            <th scope="col">Digest</th>
          </tr>
        </thead>
        <tbody>
          {manifests.map((child, i) => {
            const name = platformName(child.platform) ?? child.artifactType ?? `Manifest ${i + 1}`;
            return (
              <tr key={`${child.digest}-${i}`}>
                <th scope="row">
                  <a href={href({ name: 'manifest', registry, repository, digest: child.digest })}>{name}</a>
                  {child.platform?.['os.version'] && <span className="muted"> {child.platform['os.version']}</span>}
                </th>
                <td>
                  <code>{child.mediaType}</code>
                </td>
                <td className="numeric">{formatSize(child.size)}</td>
                <td>
                  <DigestLink registry={registry} repository={repository} descriptor={child} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
