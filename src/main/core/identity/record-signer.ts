/**
 * The ledger's signer: signs each record that carries authority with the person's SSH key, once
 * the platform's roster lists signing keys, and refuses before anything is written when the key
 * is missing, cannot sign, or is not that person's key in this roster (a record the gates would
 * ignore is never written as if it counted).
 */
import type { LedgerActor } from '../../../shared/ledger-record';
import { CockpitError } from '../errors';
import type { RecordContent, RecordSigner } from '../ledger/ledger';
import type { Platform } from '../platform/schema';
import { authorityOf, holdsKey, isSigningOn, personNamed, signedBytes } from './authority';
import { loadSigningKey, signingKeySetting, signWithKey, type SigningKey } from './signing-key';

export function createRecordSigner(options: {
  platform: Platform;
  actor: LedgerActor;
  /** The key chosen in Settings, if any (else git's `user.signingkey`); read at each signature. */
  settingsKey?: string | (() => string | undefined);
}): RecordSigner {
  const { platform, actor } = options;
  const setting = () => (typeof options.settingsKey === 'function' ? options.settingsKey() : options.settingsKey);
  let key: Promise<SigningKey> | undefined;
  let keyFor: string | undefined;
  return {
    async signatureFor(content: RecordContent) {
      const authority = authorityOf(content, platform);
      if (!authority || !isSigningOn(platform)) return undefined;
      const chosen = setting();
      if (key === undefined || keyFor !== chosen) {
        key = signingKeySetting(chosen).then(loadSigningKey);
        keyFor = chosen;
      }
      let signingKey: SigningKey;
      try {
        signingKey = await key;
      } catch (error) {
        key = undefined;
        throw withAction(error, authority.what);
      }
      const person = personNamed(platform, actor);
      if (!person)
        throw new CockpitError(
          'IDENTITY_UNVERIFIED',
          `Signing ${authority.what}: ${actor.name}${actor.email ? ` <${actor.email}>` : ''} is not in the roster of ${platform.name}. Ask for your name, e-mail and public key to be added under "roster.people".`,
        );
      if (!holdsKey(person, signingKey.publicKey))
        throw new CockpitError(
          'IDENTITY_UNVERIFIED',
          `Signing ${authority.what}: your key ${signingKey.publicKey.fingerprint} is not one of ${person.name}'s signing keys in the roster of ${platform.name}. Add "${signingKey.publicKey.line}" to their "signingKeys", or sign with the key listed there.`,
          { fingerprint: signingKey.publicKey.fingerprint },
        );
      try {
        return await signWithKey(signingKey, signedBytes(content));
      } catch (error) {
        throw withAction(error, authority.what);
      }
    },
  };
}

function withAction(error: unknown, what: string): unknown {
  return error instanceof CockpitError
    ? new CockpitError(error.code, `Signing ${what}: ${error.message}`, error.details)
    : error;
}
