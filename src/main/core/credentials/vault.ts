/**
 * The credentials vault: the only place where the cockpit's credential values are read.
 *
 * Values go to the OS keychain under one service name per platform; the data folder holds only
 * when each was last set. Everything leaving the vault (summaries, errors, events) carries names,
 * kinds and dates — never a value. Every value it handles is registered with the redactor.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { CredentialSummary, VaultStatus } from '../../../shared/contract';
import { writeFileAtomic } from '../atomic-file';
import { CockpitError } from '../errors';
import type { Redactor } from '../logs/redactor';
import type { Platform } from '../platform/schema';
import { kindMismatchReason, weakCredentialReason } from './credential-value';
import type { KeychainBackend } from './keychain';

const Metadata = z.record(z.string(), z.strictObject({ lastSetAt: z.iso.datetime() }));
type Metadata = z.infer<typeof Metadata>;

const maxValueLength = 64 * 1024;
const dayMs = 86_400_000;

export interface VaultOptions {
  platform: Platform;
  backend: KeychainBackend;
  status: VaultStatus;
  dataDir: string;
  redactor: Redactor;
  clock?: () => Date;
}

/** The keychain service name of a platform's credentials. */
export function keychainServiceName(platformId: string): string {
  return `Release Cockpit/${platformId}`;
}

export class Vault {
  private readonly clock: () => Date;
  private readonly metadataFile: string;
  private metadata: Metadata = {};
  private writes: Promise<void> = Promise.resolve();

  constructor(private readonly options: VaultOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.metadataFile = path.join(options.dataDir, 'credentials', `${options.platform.id}.json`);
  }

  /** Reads the last-set dates and registers stored values with the redactor. */
  async open(): Promise<void> {
    try {
      const parsed = Metadata.safeParse(JSON.parse(await readFile(this.metadataFile, 'utf8')));
      if (parsed.success) this.metadata = parsed.data;
    } catch {
      this.metadata = {};
    }
    for (const credential of this.options.platform.credentials) {
      const value = await this.readQuietly(credential.id);
      if (value) this.mask(value);
    }
  }

  status(): VaultStatus {
    return this.options.status;
  }

  /** Every declared credential with whether it is set and when it is due for rotation. */
  async list(): Promise<CredentialSummary[]> {
    return Promise.all(this.options.platform.credentials.map((credential) => this.summaryOf(credential.id)));
  }

  /** Stores a value (replacing any previous one). */
  async set(id: string, value: string): Promise<CredentialSummary> {
    this.requireDeclared(id);
    if (value.length === 0 || value.trim().length === 0) {
      throw new CockpitError('BAD_INPUT', `The value for "${id}" is empty: paste the credential and try again.`);
    }
    if (value.length > maxValueLength) {
      throw new CockpitError(
        'BAD_INPUT',
        `The value for "${id}" is longer than 64 KiB; a credential is expected to be shorter.`,
      );
    }
    const weakness = weakCredentialReason(value, this.options.platform);
    if (weakness) {
      throw new CockpitError(
        'BAD_INPUT',
        `That value cannot be the secret for "${id}": ${weakness}. Paste the real credential.`,
      );
    }
    const kind = this.options.platform.credentials.find((credential) => credential.id === id)?.kind;
    const mismatch = kind === undefined ? undefined : kindMismatchReason(value, kind);
    if (mismatch) throw new CockpitError('BAD_INPUT', `That value is not a ${kind} for "${id}": ${mismatch}.`);
    this.mask(value);
    try {
      await this.options.backend.setPassword(this.serviceName(), id, value);
    } catch (error) {
      throw this.keychainError(`store "${id}"`, error);
    }
    await this.updateMetadata((metadata) => ({ ...metadata, [id]: { lastSetAt: this.clock().toISOString() } }));
    return this.summaryOf(id);
  }

  /** Deletes a value; deleting one that is not set is not an error. */
  async delete(id: string): Promise<CredentialSummary> {
    this.requireDeclared(id);
    try {
      await this.options.backend.deletePassword(this.serviceName(), id);
    } catch (error) {
      throw this.keychainError(`delete "${id}"`, error);
    }
    await this.updateMetadata(({ [id]: _removed, ...rest }) => rest);
    return this.summaryOf(id);
  }

  /** Reads a value for use inside main (a deploy provider, a webhook). Never send it anywhere else. */
  async read(id: string): Promise<string | undefined> {
    this.requireDeclared(id);
    try {
      const value = await this.options.backend.getPassword(this.serviceName(), id);
      if (value) this.mask(value);
      return value ?? undefined;
    } catch (error) {
      throw this.keychainError(`read "${id}"`, error);
    }
  }

  /** Registers a value with the redactor, unless it cannot be a secret (then masking it would shred words). */
  private mask(value: string): void {
    if (!weakCredentialReason(value, this.options.platform)) this.options.redactor.add(value);
  }

  private async readQuietly(id: string): Promise<string | undefined> {
    try {
      return (await this.options.backend.getPassword(this.serviceName(), id)) ?? undefined;
    } catch {
      return undefined;
    }
  }

  private async summaryOf(id: string): Promise<CredentialSummary> {
    const credential = this.options.platform.credentials.find((candidate) => candidate.id === id)!;
    const value = await this.readQuietly(id);
    const isSet = value !== undefined;
    const weakness = value === undefined ? undefined : weakCredentialReason(value, this.options.platform);
    const lastSetAt = this.metadata[id]?.lastSetAt;
    const rotationDays = credential.rotationDays ?? this.options.platform.policy.rotationDays;
    const rotationDueAt =
      isSet && lastSetAt ? new Date(Date.parse(lastSetAt) + rotationDays * dayMs).toISOString() : undefined;
    return {
      id,
      kind: credential.kind,
      description: credential.description,
      environment: credential.environment,
      isSet,
      lastSetAt: isSet ? lastSetAt : undefined,
      rotationDays,
      rotationDueAt,
      isRotationDue: rotationDueAt !== undefined && Date.parse(rotationDueAt) <= this.clock().getTime(),
      problem: weakness && `The stored value cannot be a secret (${weakness}): set the real credential.`,
    };
  }

  private requireDeclared(id: string): void {
    if (!this.options.platform.credentials.some((credential) => credential.id === id)) {
      throw new CockpitError(
        'NOT_FOUND',
        `"${id}" is not a credential of ${this.options.platform.name}: declare it under "credentials" in the platform file.`,
      );
    }
  }

  private serviceName(): string {
    return keychainServiceName(this.options.platform.id);
  }

  private keychainError(action: string, error: unknown): CockpitError {
    // The keychain's own message names the failure (locked, denied), never the value.
    const reason = this.options.redactor.redact((error as Error)?.message ?? String(error));
    return new CockpitError('KEYCHAIN_UNAVAILABLE', `Could not ${action} in the keychain: ${reason}`);
  }

  private updateMetadata(change: (metadata: Metadata) => Metadata): Promise<void> {
    this.writes = this.writes.then(async () => {
      this.metadata = change(this.metadata);
      await writeFileAtomic(this.metadataFile, `${JSON.stringify(this.metadata, null, 2)}\n`);
    });
    return this.writes;
  }
}
