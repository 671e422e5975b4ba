/**
 * The contract's building blocks: what a command and an event declare, and the ids and texts
 * several domains accept.
 */
import { z } from 'zod';

/** A command: what it accepts and what it answers. */
export interface CommandSpec<I extends z.ZodType, O extends z.ZodType> {
  summary: string;
  input: I;
  output: O;
}

/** An event: what it carries. */
export interface EventSpec<P extends z.ZodType> {
  summary: string;
  payload: P;
}

export const noInput = z.strictObject({});

export const EntityId = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,62}$/, 'expected a lowercase id such as "slack-releases-webhook"');

export const ShortText = z.string().max(200);

export const Reason = z.string().trim().min(1, 'expected a reason').max(500);

export const RunId = z.string().regex(/^[A-Za-z0-9._-]{1,100}$/, 'expected a deploy run id');

export const ReleaseName = z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'expected a release name such as 2026-12-03');

export const GateId = z.string().regex(/^[a-z]+:[a-z0-9-]{1,63}$/, 'expected a gate id such as "ci:auth-service"');
