// usage: node sigstore-tuf-cache.mjs TRUSTED_ROOT.json CACHE_DIR
//
// A bench tool, not a test: lets the sigstore CLI (@sigstore/cli, `sigstore
// verify`) run offline against a trusted root of our choosing. The CLI only
// takes its trusted root from TUF (sigstore-js getTrustedRoot), and offline
// it cannot: the TUF seeds shipped in @sigstore/tuf hold root.json (v12 in the
// CLI's copy, expired 2025-08-19; v14 in sigstore 4's, expired 2026-06-22) and
// the targets, but no timestamp/snapshot/targets metadata, so even with
// --tuf-force-cache the client goes to the network (N+1.root.json, then
// timestamp.json).
//
// This writes a one-key TUF repository into the CLI's cache layout
// (CACHE_DIR/tuf-repo-cdn.sigstore.dev/{root,timestamp,snapshot,targets}.json
// and targets/trusted_root.json), signed with a fresh Ed25519 key, valid for
// a year, whose only target is TRUSTED_ROOT.json. Then
//   sigstore verify ... --tuf-cache-path CACHE_DIR --tuf-force-cache
// loads and verifies the four metadata files and the target from disk, as a
// warm cache does, and never touches the network. The production metadata
// differs only in its signatures (root: several keys, threshold 3).
//
// Needs the @tufjs/canonical-json module of sigstore-js's npm prefix
// ($SIGSTORE_JS_PREFIX, default /opt/peers/node).
import { createRequire } from 'node:module';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const [rootFile, cacheDir] = process.argv.slice(2);
if (!rootFile || !cacheDir) {
  console.error('usage: node sigstore-tuf-cache.mjs TRUSTED_ROOT.json CACHE_DIR');
  process.exit(2);
}
const prefix = process.env.SIGSTORE_JS_PREFIX || '/opt/peers/node';
const req = createRequire(path.join(prefix, 'package.json'));
const { canonicalize } = req('@tufjs/canonical-json');

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const rawPublic = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('hex');
const key = { keytype: 'ed25519', scheme: 'ed25519', keyval: { public: rawPublic } };
const keyid = createHash('sha256').update(canonicalize(key)).digest('hex');

const expires = new Date(Date.now() + 365 * 24 * 3600 * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
const common = { spec_version: '1.0.31', version: 1, expires };
const signed = (body) => ({
  signatures: [{ keyid, sig: sign(null, Buffer.from(canonicalize(body)), privateKey).toString('hex') }],
  signed: body,
});
const role = { keyids: [keyid], threshold: 1 };

const target = readFileSync(rootFile);
const dir = path.join(cacheDir, 'tuf-repo-cdn.sigstore.dev');
mkdirSync(path.join(dir, 'targets'), { recursive: true });
const files = {
  'root.json': {
    _type: 'root',
    ...common,
    consistent_snapshot: false,
    keys: { [keyid]: key },
    roles: { root: role, timestamp: role, snapshot: role, targets: role },
  },
  'timestamp.json': { _type: 'timestamp', ...common, meta: { 'snapshot.json': { version: 1 } } },
  'snapshot.json': { _type: 'snapshot', ...common, meta: { 'targets.json': { version: 1 } } },
  'targets.json': {
    _type: 'targets',
    ...common,
    targets: {
      'trusted_root.json': { length: target.length, hashes: { sha256: createHash('sha256').update(target).digest('hex') } },
    },
  },
};
for (const [name, body] of Object.entries(files)) writeFileSync(path.join(dir, name), JSON.stringify(signed(body)));
// The cached target (tuf-js names it by its path alone, whatever consistent_snapshot says).
writeFileSync(path.join(dir, 'targets', 'trusted_root.json'), target);
console.log(dir);
