/**
 * A command's answer, read when the view mounts and again whenever `key` changes; an answer that
 * comes back after the view moved on (another service chosen) is dropped.
 */
import { useEffect, useState } from 'react';
import type { CommandChannel } from '../../../shared/channels';
import type { CommandInput, CommandOutput } from '../../../shared/contract';
import type { CockpitClient } from '../ipc/client';

export interface CommandAnswer<K extends CommandChannel> {
  value?: CommandOutput<K>;
  error?: string;
  /** Replaces the value, from a later answer of another command (a sign-off returns the list). */
  setValue(value: CommandOutput<K>): void;
}

export function useCommand<K extends CommandChannel>(
  client: CockpitClient,
  channel: K,
  input: CommandInput<K>,
  key: string,
): CommandAnswer<K> {
  const [answer, setAnswer] = useState<{ key?: string; value?: CommandOutput<K>; error?: string }>({});
  useEffect(() => {
    let isCurrent = true;
    void client.invoke(channel, input).then((reply) => {
      if (!isCurrent) return;
      setAnswer(reply.ok ? { key, value: reply.value } : { key, error: reply.error.message });
    });
    return () => {
      isCurrent = false;
    };
    // The input is named by the key: a new key asks again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, channel, key]);
  return {
    ...(answer.key === key ? { value: answer.value, error: answer.error } : {}),
    setValue: (value) => setAnswer({ key, value }),
  };
}
