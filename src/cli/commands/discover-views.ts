import type { ReferrerNode } from '../../main/engine/oras/discover';
import { descriptorJson } from '../format';

/**
 * The views of `oras discover` as ORAS 1.3 draws them (cmd/oras/internal/display/
 * metadata/{tree,table,json}/discover.go): lines of plain text, escaped by the caller
 * as they are written.
 */

/** TreeNode is one line of the tree and the lines under it (ORAS's internal/tree). */
interface TreeNode {
  value: string;
  children: TreeNode[];
}

/** childNamed finds a child with this value, or adds it (tree.Node.AddPath). */
function childNamed(node: TreeNode, value: string): TreeNode {
  let child = node.children.find((c) => c.value === value);
  if (!child) {
    child = { value, children: [] };
    node.children.push(child);
  }
  return child;
}

/**
 * yamlEntry writes one annotation as yaml.Marshal writes a one-key map: plain where
 * YAML would read it back as the same string, double-quoted otherwise (a timestamp,
 * a number, true/null, a leading indicator, `: ` or ` #` inside).
 */
export function yamlEntry(key: string, value: string): string {
  return `${yamlScalar(key)}: ${yamlScalar(value)}`;
}

function yamlScalar(text: string): string {
  const plain =
    text !== '' &&
    !/^[-?:,[\]{}#&*!|>'"%@`\s]/.test(text) &&
    !/\s$/.test(text) &&
    !/: |:$| #/.test(text) &&
    !/^(true|false|yes|no|on|off|y|n|null|~)$/i.test(text) &&
    !/^[-+]?(\.?\d[\d_]*(\.\d*)?([eE][-+]?\d+)?|0x[\da-fA-F]+|0o[0-7]+|\.inf|\.nan)$/i.test(text) &&
    !/^\d{4}-\d\d?-\d\d?([Tt ]|$)/.test(text) &&
    // eslint-disable-next-line no-control-regex
    !/[\u0000-\u001f\u007f-\u009f]/.test(text);
  return plain ? text : JSON.stringify(text);
}

/**
 * treeLines draws referrers as ORAS's tree does: under the subject, one node per
 * artifact type (`<unknown>` without one), the referrers' digests under it, and under
 * each digest its `[annotations]` (with `verbose`, ORAS's default) then its own referrers.
 */
export function treeLines(root: ReferrerNode, rootLabel: string, verbose = true): string[] {
  const build = (node: ReferrerNode, into: TreeNode): void => {
    for (const child of node.referrers) {
      const type = childNamed(into, child.descriptor.artifactType || '<unknown>');
      const digest = childNamed(type, child.descriptor.digest);
      const annotations = child.descriptor.annotations ?? {};
      if (verbose && Object.keys(annotations).length > 0) {
        const title = childNamed(digest, '[annotations]');
        for (const key of Object.keys(annotations).sort()) childNamed(title, yamlEntry(key, annotations[key]!));
      }
      build(child, digest);
    }
  };
  const tree: TreeNode = { value: rootLabel, children: [] };
  build(root, tree);
  const lines: string[] = [];
  const print = (node: TreeNode, lead: string, prefix: string): void => {
    lines.push(lead + node.value);
    node.children.forEach((child, i) => {
      const last = i === node.children.length - 1;
      print(child, prefix + (last ? '└── ' : '├── '), prefix + (last ? '    ' : '│   '));
    });
  };
  print(tree, '', '');
  return lines;
}

/**
 * tableLines is ORAS's (deprecated) table: a count naming the reference as typed, the
 * subject's digest, then artifact type and digest columns, each row followed by the
 * referrer's descriptor as indented JSON when `verbose` (ORAS's default).
 */
export function tableLines(root: ReferrerNode, rawReference: string, verbose = true): string[] {
  const referrers = root.referrers.map((r) => r.descriptor);
  const lines = [`Discovered ${referrers.length} artifact${referrers.length === 1 ? '' : 's'} referencing ${rawReference}`, `Digest: ${root.descriptor.digest}`];
  if (referrers.length === 0) return lines;
  lines.push('');
  const title = 'Artifact Type';
  const width = Math.max(title.length, ...referrers.map((r) => (r.artifactType ?? '').length));
  // fmt.Println(key, padding, value): the padding between two single spaces.
  const row = (key: string, value: string): string => `${key} ${' '.repeat(width - key.length + 1)} ${value}`;
  lines.push(row(title, 'Digest'));
  for (const r of referrers) {
    lines.push(row(r.artifactType ?? '', r.digest));
    if (verbose) lines.push(...JSON.stringify(descriptorJson(r), null, 2).split('\n'));
  }
  return lines;
}

/** discoverModel is the JSON (and template) model: ORAS's model.Node, referrers nested under `referrers`. */
export function discoverModel(node: ReferrerNode, name: string): Record<string, unknown> {
  return {
    reference: `${name}@${node.descriptor.digest}`,
    ...descriptorJson(node.descriptor),
    referrers: node.referrers.map((child) => discoverModel(child, name)),
  };
}
