import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * makeFakeHelper writes `docker-credential-<name>`, a Node script speaking the helper
 * protocol over a JSON file, for unit tests of the protocol's edges. FAKE_HELPER_MODE
 * picks a misbehaviour: `hang`, `fail` (exit 1 with a message, and a JSON line that
 * holds a secret), `empty` (pass's "not found": status 0, empty Secret), `garbage`.
 * Returns the environment that puts it first on PATH.
 */
export async function makeFakeHelper(name = 'fake'): Promise<{ dir: string; env: NodeJS.ProcessEnv; storeFile: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'oras-fake-helper-'));
  const bin = path.join(dir, 'bin');
  await mkdir(bin);
  const storeFile = path.join(dir, 'store.json');
  const script = `#!${process.execPath}
const fs = require('node:fs');
const file = ${JSON.stringify(storeFile)};
const mode = process.env.FAKE_HELPER_MODE || '';
const load = () => { try { return JSON.parse(fs.readFileSync(file, 'utf8')); } catch { return {}; } };
let input = '';
process.stdin.on('data', (d) => (input += d)).on('end', () => {
  const action = process.argv[2];
  fs.appendFileSync(file + '.log', action + ' ' + (action === 'store' ? JSON.parse(input).ServerURL : input) + '\\n');
  if (mode === 'hang') { setInterval(() => {}, 1000); return; }
  if (mode === 'fail') { console.log('{"ServerURL":"x","Username":"u","Secret":"leaked-secret"}'); console.error('error: the vault is sealed'); process.exit(1); }
  if (mode === 'garbage') { process.stdout.write('<html>'); return; }
  const db = load();
  if (action === 'get') {
    if (mode === 'empty') { process.stdout.write(JSON.stringify({ ServerURL: input, Username: '', Secret: '' })); return; }
    if (!db[input]) { process.stdout.write('credentials not found in native keychain\\n'); process.exit(1); }
    process.stdout.write(JSON.stringify({ ServerURL: input, ...db[input] }));
  } else if (action === 'store') {
    const c = JSON.parse(input);
    db[c.ServerURL] = { Username: c.Username, Secret: c.Secret };
    fs.writeFileSync(file, JSON.stringify(db));
  } else if (action === 'erase') {
    if (!db[input]) { process.stdout.write('credentials not found in native keychain\\n'); process.exit(1); }
    delete db[input];
    fs.writeFileSync(file, JSON.stringify(db));
  } else if (action === 'list') {
    process.stdout.write(JSON.stringify(Object.fromEntries(Object.entries(db).map(([k, v]) => [k, v.Username]))));
  } else { process.stdout.write('unknown action'); process.exit(1); }
});
`;
  const program = path.join(bin, `docker-credential-${name}`);
  await writeFile(program, script);
  await chmod(program, 0o755);
  return { dir, env: { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, HOME: dir }, storeFile };
}

export async function seedFakeHelper(storeFile: string, entries: Record<string, { Username: string; Secret: string }>): Promise<void> {
  await writeFile(storeFile, JSON.stringify(entries));
}
