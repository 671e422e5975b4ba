/**
 * Frames exchanged over the loopback bridge's WebSocket.
 *
 * The browser shim sends `invoke` frames; the server answers each with a `reply` frame carrying
 * the same id, and pushes `event` frames. Both sides parse what they receive with these schemas.
 */
import { z } from 'zod';

/** The query parameter that carries the per-run token, on the page URL and the socket URL. */
export const bridgeTokenParameter = 'token';

/** The socket's path on the bridge server. */
export const bridgeSocketPath = '/bridge';

export { bridgeProtocol, bridgeTokenProtocolPrefix } from './bridge-api';

export const InvokeFrame = z.strictObject({
  kind: z.literal('invoke'),
  id: z.number().int().nonnegative(),
  channel: z.string().max(200),
  payload: z.unknown(),
});
export type InvokeFrame = z.infer<typeof InvokeFrame>;

export const ReplyFrame = z.strictObject({
  kind: z.literal('reply'),
  id: z.number().int().nonnegative(),
  reply: z.union([
    z.strictObject({ ok: z.literal(true), value: z.unknown() }),
    z.strictObject({
      ok: z.literal(false),
      error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
    }),
  ]),
});
export type ReplyFrame = z.infer<typeof ReplyFrame>;

export const EventFrame = z.strictObject({
  kind: z.literal('event'),
  channel: z.string(),
  payload: z.unknown(),
});
export type EventFrame = z.infer<typeof EventFrame>;

export const ServerFrame = z.discriminatedUnion('kind', [ReplyFrame, EventFrame]);
