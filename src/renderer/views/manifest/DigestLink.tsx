import { shortDigest } from '../../components/kit';
import { href } from '../../routes/routes';
import { descriptorRoute } from './json-tokens';

/**
 * DigestLink opens a descriptor: the manifest view for manifests and indexes, else the
 * blob view. It shows the short digest and says the whole one to screen readers and
 * in its tooltip.
 */
export function DigestLink({ registry, repository, descriptor }: { registry: string; repository: string; descriptor: { digest: string; mediaType?: string } }) {
  return (
    <a className="digest-link" href={href(descriptorRoute(registry, repository, descriptor))} title={descriptor.digest} aria-label={descriptor.digest}>
      <code>{shortDigest(descriptor.digest)}</code>
    </a>
  );
}
