import { describe, expect, it } from 'vitest';
import { createDispatcher, type CommandHandlers } from '../../../src/main/core/dispatcher';
import { CockpitError } from '../../../src/main/core/errors';
import type { AppInfo } from '../../../src/shared/contract';

const info: AppInfo = {
  name: 'Release Cockpit',
  version: '1.2.3',
  platform: 'linux',
  arch: 'x64',
  runtime: 'test',
  dataDir: '/tmp/data',
};

function dispatcherWith(handler: CommandHandlers['app:info']) {
  const reported: { channel: string; error: unknown }[] = [];
  // Only app:info is exercised here; the other commands are covered by their own tests.
  const handlers = { 'app:info': handler } as CommandHandlers;
  const dispatch = createDispatcher(handlers, (channel, error) => reported.push({ channel, error }));
  return { dispatch, reported };
}

describe('the dispatcher', () => {
  it('answers a valid command with the handler’s value', async () => {
    const { dispatch } = dispatcherWith(() => info);
    await expect(dispatch('app:info', {})).resolves.toEqual({ ok: true, value: info });
  });

  it('refuses an unknown channel with UNKNOWN_CHANNEL, without calling any handler', async () => {
    let calls = 0;
    const { dispatch } = dispatcherWith(() => {
      calls++;
      return info;
    });
    const reply = await dispatch('app:delete-everything', {});
    expect(reply).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
    expect(calls).toBe(0);
  });

  it('refuses a malformed payload with BAD_INPUT naming the field', async () => {
    const { dispatch } = dispatcherWith(() => info);
    const reply = await dispatch('app:info', { unexpected: true });
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.code).toBe('BAD_INPUT');
    expect(reply.error.message).toBe(
      'Nothing was done: what was sent has a field it does not take: unexpected (remove it).',
    );
    expect(reply.error.details).toMatchObject({
      channel: 'app:info',
      issues: [{ path: '', message: expect.stringContaining('unexpected') }],
    });
  });

  it('says in words which field is wrong and what it should be, never the channel or the schema’s wording', async () => {
    const handlers = {
      'approvals:decide': () => {
        throw new Error('must not be called');
      },
      'ledger:query': () => {
        throw new Error('must not be called');
      },
    } as unknown as CommandHandlers;
    const dispatch = createDispatcher(handlers, () => undefined);
    const messageOf = async (channel: string, payload: unknown) => {
      const reply = await dispatch(channel, payload);
      return reply.ok ? 'accepted' : reply.error.message;
    };
    const missing = await messageOf('approvals:decide', {});
    expect(missing).toMatch(/^Nothing was done: the [a-z ]+ is missing \(\d+ more problems? after this one\)\.$/);
    expect(missing).not.toContain('policy:');
    expect(missing).not.toMatch(/Invalid input|expected string/);
    const reply = await dispatch('ledger:query', { limit: -3 });
    expect(reply).toMatchObject({ ok: false, error: { message: 'Nothing was done: the limit must be at least 1.' } });
  });

  it('refuses text that is not well-formed Unicode (a lone surrogate) with BAD_INPUT, in values and keys', async () => {
    const handlers = {
      'credentials:set': () => {
        throw new Error('must not be called');
      },
    } as unknown as CommandHandlers;
    const reported: unknown[] = [];
    const dispatch = createDispatcher(handlers, (_channel, error) => reported.push(error));
    for (const payload of [
      { id: 'github-token', value: 'token-\uD800-rest' },
      { id: 'github-token', value: 'ends-with-\uDC00' },
      { id: '\uDBFF', value: 'a-valid-value-1' },
      { ['\uD83D']: 1, id: 'x', value: 'y' },
    ]) {
      const reply = await dispatch('credentials:set', payload);
      expect(reply).toMatchObject({
        ok: false,
        error: { code: 'BAD_INPUT', message: expect.stringContaining('lone surrogate') },
      });
    }
    expect(reported).toEqual([]);
  });

  it('passes a CockpitError through as a typed error', async () => {
    const { dispatch, reported } = dispatcherWith(() => {
      throw new CockpitError('TRANSPORT', 'Tag v2.1.0 already exists on origin: choose another version.');
    });
    await expect(dispatch('app:info', {})).resolves.toEqual({
      ok: false,
      error: { code: 'TRANSPORT', message: 'Tag v2.1.0 already exists on origin: choose another version.' },
    });
    expect(reported).toHaveLength(0);
  });

  it('turns an unexpected exception into INTERNAL, reports it, and hides its message', async () => {
    const { dispatch, reported } = dispatcherWith(() => {
      throw new Error('token=s3cr3t leaked in a stack');
    });
    const reply = await dispatch('app:info', {});
    expect(reply).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(reply)).not.toContain('s3cr3t');
    expect(reported).toHaveLength(1);
  });

  it('refuses to answer with a value that breaks the contract', async () => {
    const { dispatch, reported } = dispatcherWith(() => ({ ...info, version: 42 }) as unknown as AppInfo);
    await expect(dispatch('app:info', {})).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(reported).toHaveLength(1);
  });
});
