/**
 * SSHSIG, the signature format of `ssh-keygen -Y sign` (and git's SSH commit signing), as
 * OpenSSH's PROTOCOL.sshsig describes it: OpenSSH public keys parsed and fingerprinted, armored
 * signatures parsed, and verified with node:crypto (Ed25519, RSA, ECDSA P-256/384/521), so a
 * ledger of thousands of records verifies without a process per record. Signing is left to
 * `ssh-keygen` (signing-key.ts): it reads the agent and the key formats people really have.
 */
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';

export const signatureNamespace = 'release-cockpit';

const magic = Buffer.from('SSHSIG');
const armorBegin = '-----BEGIN SSH SIGNATURE-----';
const armorEnd = '-----END SSH SIGNATURE-----';

/** An OpenSSH public key: its type, wire blob, and the line people paste (`ssh-ed25519 AAAA… comment`). */
export interface SshPublicKey {
  type: string;
  blob: Buffer;
  /** `SHA256:…`, as `ssh-keygen -l` prints it. */
  fingerprint: string;
  /** `type base64`, without the comment: how keys are compared and exported. */
  line: string;
}

export class SshFormatError extends Error {}

/** Reads the SSH wire format: uint32-length-prefixed strings. */
class WireReader {
  private offset = 0;
  constructor(private readonly bytes: Buffer) {}

  string(): Buffer {
    if (this.offset + 4 > this.bytes.length) throw new SshFormatError('truncated');
    const length = this.bytes.readUInt32BE(this.offset);
    const start = this.offset + 4;
    if (start + length > this.bytes.length) throw new SshFormatError('truncated');
    this.offset = start + length;
    return this.bytes.subarray(start, start + length);
  }

  text(): string {
    return this.string().toString('latin1');
  }

  uint32(): number {
    if (this.offset + 4 > this.bytes.length) throw new SshFormatError('truncated');
    const value = this.bytes.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  take(length: number): Buffer {
    if (this.offset + length > this.bytes.length) throw new SshFormatError('truncated');
    const part = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return part;
  }

  get isAtEnd(): boolean {
    return this.offset === this.bytes.length;
  }
}

function wireString(value: Buffer | string): Buffer {
  const bytes = typeof value === 'string' ? Buffer.from(value, 'latin1') : value;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

export function fingerprintOf(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The base64 key of an allowed-signers style line (`type base64 [comment]`): what identifies it. */
export function keyBlob(line: string): string {
  return line.trim().split(/\s+/)[1] ?? line.trim();
}

/** A public key from its wire blob (the type inside must be one we can verify). */
export function publicKeyFromBlob(blob: Buffer): SshPublicKey {
  const type = new WireReader(blob).text();
  return { type, blob, fingerprint: fingerprintOf(blob), line: `${type} ${blob.toString('base64')}` };
}

/**
 * Parses an OpenSSH public key line (`ssh-ed25519 AAAA… [comment]`, as in `.pub` files and git's
 * allowed-signers files); throws SshFormatError saying what is wrong.
 */
export function parsePublicKey(text: string): SshPublicKey {
  const [type, base64] = text.trim().split(/\s+/);
  if (!type || !base64) throw new SshFormatError('expected "<type> <base64> [comment]", e.g. "ssh-ed25519 AAAA…"');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) throw new SshFormatError('the key is not base64');
  const blob = Buffer.from(base64, 'base64');
  let key: SshPublicKey;
  try {
    key = publicKeyFromBlob(blob);
  } catch {
    throw new SshFormatError('the key is truncated');
  }
  if (key.type !== type) throw new SshFormatError(`the key says "${key.type}" inside but "${type}" outside`);
  toKeyObject(key);
  return key;
}

const curves: Record<string, { jwk: string; size: number; hash: string }> = {
  nistp256: { jwk: 'P-256', size: 32, hash: 'sha256' },
  nistp384: { jwk: 'P-384', size: 48, hash: 'sha384' },
  nistp521: { jwk: 'P-521', size: 66, hash: 'sha512' },
};

const base64url = (bytes: Buffer) => bytes.toString('base64url');
/** An SSH mpint without its sign byte. */
const unsigned = (bytes: Buffer) => (bytes[0] === 0 ? bytes.subarray(1) : bytes);

function toKeyObject(key: SshPublicKey): KeyObject {
  const reader = new WireReader(key.blob);
  reader.text();
  try {
    if (key.type === 'ssh-ed25519') {
      const x = reader.string();
      if (x.length !== 32) throw new SshFormatError('an Ed25519 key has 32 bytes');
      return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: base64url(x) }, format: 'jwk' });
    }
    if (key.type === 'ssh-rsa') {
      const e = unsigned(reader.string());
      const n = unsigned(reader.string());
      return createPublicKey({ key: { kty: 'RSA', e: base64url(e), n: base64url(n) }, format: 'jwk' });
    }
    const ecdsa = /^ecdsa-sha2-(nistp256|nistp384|nistp521)$/.exec(key.type);
    if (ecdsa) {
      const curve = curves[ecdsa[1]!]!;
      if (reader.text() !== ecdsa[1]) throw new SshFormatError('the curve does not match the key type');
      const point = reader.string();
      if (point[0] !== 4 || point.length !== 1 + 2 * curve.size) throw new SshFormatError('not an uncompressed point');
      return createPublicKey({
        key: {
          kty: 'EC',
          crv: curve.jwk,
          x: base64url(point.subarray(1, 1 + curve.size)),
          y: base64url(point.subarray(1 + curve.size)),
        },
        format: 'jwk',
      });
    }
  } catch (error) {
    if (error instanceof SshFormatError) throw error;
    throw new SshFormatError(`not a valid ${key.type} key`);
  }
  throw new SshFormatError(`${key.type} keys are not supported; use ssh-ed25519, ssh-rsa or ecdsa-sha2-nistp256`);
}

/** An SSHSIG signature, parsed. */
export interface SshSignature {
  publicKey: SshPublicKey;
  namespace: string;
  hashAlgorithm: 'sha256' | 'sha512';
  /** The inner signature: its algorithm name and bytes. */
  algorithm: string;
  bytes: Buffer;
}

/** Parses an armored SSHSIG signature (what `ssh-keygen -Y sign` writes). */
export function parseSignature(armored: string): SshSignature {
  const text = armored.trim();
  if (!text.startsWith(armorBegin) || !text.endsWith(armorEnd)) throw new SshFormatError('not an SSH signature');
  const body = text.slice(armorBegin.length, text.length - armorEnd.length).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body)) throw new SshFormatError('the signature is not base64');
  const reader = new WireReader(Buffer.from(body, 'base64'));
  if (!reader.take(6).equals(magic)) throw new SshFormatError('not an SSHSIG blob');
  if (reader.uint32() !== 1) throw new SshFormatError('unknown SSHSIG version');
  const publicKey = publicKeyFromBlob(reader.string());
  const namespace = reader.text();
  reader.string();
  const hashAlgorithm = reader.text();
  if (hashAlgorithm !== 'sha256' && hashAlgorithm !== 'sha512') throw new SshFormatError('unknown hash algorithm');
  const inner = new WireReader(reader.string());
  if (!reader.isAtEnd) throw new SshFormatError('trailing bytes');
  const algorithm = inner.text();
  const bytes = inner.string();
  return { publicKey, namespace, hashAlgorithm, algorithm, bytes };
}

/** The bytes an SSHSIG signature signs for `message` (PROTOCOL.sshsig). */
function signedData(message: Buffer, namespace: string, hashAlgorithm: string): Buffer {
  const digest = createHash(hashAlgorithm).update(message).digest();
  return Buffer.concat([magic, wireString(namespace), wireString(''), wireString(hashAlgorithm), wireString(digest)]);
}

/** Whether `signature` is a valid signature of `message` by its own key in our namespace. */
export function verifySignature(signature: SshSignature, message: Buffer): boolean {
  if (signature.namespace !== signatureNamespace) return false;
  let key: KeyObject;
  try {
    key = toKeyObject(signature.publicKey);
  } catch {
    return false;
  }
  const data = signedData(message, signature.namespace, signature.hashAlgorithm);
  const { type } = signature.publicKey;
  try {
    if (type === 'ssh-ed25519') return signature.algorithm === type && verify(null, data, key, signature.bytes);
    if (type === 'ssh-rsa') {
      const hash = { 'rsa-sha2-256': 'sha256', 'rsa-sha2-512': 'sha512' }[signature.algorithm];
      return hash !== undefined && verify(hash, data, key, signature.bytes);
    }
    if (signature.algorithm !== type) return false;
    const curve = curves[type.replace('ecdsa-sha2-', '')]!;
    const inner = new WireReader(signature.bytes);
    const pad = (bytes: Buffer) => {
      const value = unsigned(bytes);
      if (value.length > curve.size) throw new SshFormatError('the signature is too long');
      return Buffer.concat([Buffer.alloc(curve.size - value.length), value]);
    };
    const raw = Buffer.concat([pad(inner.string()), pad(inner.string())]);
    return verify(curve.hash, data, { key, dsaEncoding: 'ieee-p1363' }, raw);
  } catch {
    return false;
  }
}
