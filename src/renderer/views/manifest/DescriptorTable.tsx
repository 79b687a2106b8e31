import type { ReactNode } from 'react';
import type { DescriptorInfo } from '../../../shared/browse';
import { formatSize } from '../../components/kit';
import { DigestLink } from './DigestLink';

/** DescriptorColumn is a column a table adds after the digest: its header and a cell per row. */
export interface DescriptorColumn {
  header: ReactNode;
  cell(descriptor: DescriptorInfo, index: number): ReactNode;
}

/**
 * DescriptorTable is the one table of descriptors (a manifest's layers, an index's
 * platforms) in a labelled, keyboard-scrollable box: the row's name (a row header),
 * media type, size and digest (opening its blob or manifest), then `columns`.
 */
export function DescriptorTable({
  label,
  nameHeader,
  registry,
  repository,
  descriptors,
  name,
  columns = [],
}: {
  label: string;
  nameHeader: string;
  registry: string;
  repository: string;
  descriptors: DescriptorInfo[];
  /** name is the row header's content, and whether it is a stand-in (shown muted). */
  name(descriptor: DescriptorInfo, index: number): { content: ReactNode; standIn?: boolean };
  columns?: DescriptorColumn[];
}) {
  return (
    <div className="table-box scroll-box" role="region" aria-label={label} tabIndex={0}>
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">{nameHeader}</th>
            <th scope="col">Media type</th>
            <th scope="col" className="numeric">
              Size
            </th>
            <th scope="col">Digest</th>
            {columns.map((column, c) => (
              <th key={c} scope="col">
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {descriptors.map((descriptor, i) => {
            const { content, standIn } = name(descriptor, i);
            return (
              <tr key={`${descriptor.digest}-${i}`}>
                <th scope="row" className={standIn ? 'muted' : undefined}>
                  {content}
                </th>
                <td>
                  <code>{descriptor.mediaType}</code>
                </td>
                <td className="numeric">{formatSize(descriptor.size)}</td>
                <td>
                  <DigestLink registry={registry} repository={repository} descriptor={descriptor} />
                </td>
                {columns.map((column, c) => (
                  <td key={c}>{column.cell(descriptor, i)}</td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
