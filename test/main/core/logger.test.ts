import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/main/core/logger';

describe('the diagnostic log', () => {
  it('writes one JSON line per entry with time, level, message and serialized errors', () => {
    const lines: string[] = [];
    const logger = createLogger({ write: (line) => lines.push(line), clock: () => new Date(0) });
    logger.error('Deploy failed', { service: 'auth', error: new Error('boom') });
    const entry = JSON.parse(lines[0]!);
    expect(entry).toMatchObject({
      time: '1970-01-01T00:00:00.000Z',
      level: 'error',
      message: 'Deploy failed',
      service: 'auth',
    });
    expect(entry.error).toMatchObject({ name: 'Error', message: 'boom' });
  });

  it('passes every line through the redactor, stacks included', () => {
    const lines: string[] = [];
    const logger = createLogger({
      write: (line) => lines.push(line),
      redact: (text) => text.replaceAll('hunter2', '***'),
    });
    logger.warn('token hunter2 rejected', { error: new Error('bad token hunter2') });
    expect(lines.join('\n')).not.toContain('hunter2');
    expect(lines.join('\n')).toContain('***');
  });
});
