import { describe, expect, it } from 'vitest';
import { commandChannels, eventChannels, isCommandChannel, isEventChannel } from '../../src/shared/channels';
import { commands, events } from '../../src/shared/contract';
import { contentSecurityPolicy } from '../../src/shared/csp';

describe('the contract', () => {
  it('lists the same commands in the channel list and the schemas', () => {
    expect([...commandChannels].sort()).toEqual(Object.keys(commands).sort());
  });

  it('lists the same events in the channel list and the schemas', () => {
    expect([...eventChannels].sort()).toEqual(Object.keys(events).sort());
  });

  it('names commands domain:verb and events domain:name', () => {
    for (const name of [...commandChannels, ...eventChannels]) expect(name).toMatch(/^[a-z]+:[a-z-]+$/);
  });

  it('recognises only its own channels', () => {
    expect(isCommandChannel('app:info')).toBe(true);
    expect(isCommandChannel('app:heartbeat')).toBe(false);
    expect(isEventChannel('app:heartbeat')).toBe(true);
    for (const other of ['', 'constructor', '__proto__', 'toString', 'APP:INFO', 42, null, undefined]) {
      expect(isCommandChannel(other)).toBe(false);
      expect(isEventChannel(other)).toBe(false);
    }
  });
});

describe('the content security policy', () => {
  const policy = contentSecurityPolicy();
  const directive = (name: string) =>
    policy
      .split(';')
      .map((part) => part.trim())
      .find((part) => part.startsWith(`${name} `));

  it('allows scripts only from the app itself', () => {
    expect(directive('script-src')).toBe("script-src 'self'");
    expect(policy).not.toContain('unsafe-eval');
  });

  it('denies everything not listed, objects, frames and base rewrites', () => {
    expect(directive('default-src')).toBe("default-src 'none'");
    expect(directive('object-src')).toBe("object-src 'none'");
    expect(directive('frame-src')).toBe("frame-src 'none'");
    expect(directive('base-uri')).toBe("base-uri 'none'");
  });

  it('adds only the given connect sources', () => {
    const bridgePolicy = contentSecurityPolicy(['ws://127.0.0.1:4321']);
    expect(bridgePolicy).toContain("connect-src 'self' ws://127.0.0.1:4321");
    expect(bridgePolicy.replace(' ws://127.0.0.1:4321', '')).toBe(policy);
  });
});
