import * as devalue from 'devalue';
import { z } from 'zod';
import { LabError } from '../../src-core/contracts/lab-error';
import type { WireCall, WireMessage } from '../../src-core/contracts/lab-wire';
import { ownBytes } from '../../src-core/contracts/own-bytes';

// The server's side of the socket codec: devalue text frames (NaN, ±Infinity,
// -0 and typed arrays survive), and the call envelope checked with zod before
// anything else looks at it. The payload inside stays untrusted: the
// channel's own schema checks it in invokeService.

const CallSchema = z.strictObject({
  id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  channel: z.string().max(100),
  payload: z.unknown().optional(),
});

/** One frame to a tab; every typed array in it carries its own bytes only (own-bytes.ts). */
export function encodeMessage(message: WireMessage): string {
  return devalue.stringify(ownBytes(message));
}

/** Decode one frame from a tab; throws LabError('invalid-input') for anything but a well-formed call. */
export function decodeCall(frame: string): WireCall {
  let value: unknown;
  try {
    value = devalue.parse(frame);
  } catch (err) {
    throw new LabError(
      'invalid-input',
      `socket frame: not a devalue message (${(err as Error).message.split('\n')[0].slice(0, 120)})`,
    );
  }
  const parsed = CallSchema.safeParse(value);
  if (!parsed.success)
    throw new LabError(
      'invalid-input',
      `socket frame: not a call { id, channel, payload } (${parsed.error.issues[0]?.path.join('.') || 'message'}: ${parsed.error.issues[0]?.message})`,
    );
  return parsed.data as WireCall;
}

/** The call id of a frame that failed to decode, when one can still be read (so the tab's promise settles). */
export function salvageId(frame: string): number | null {
  try {
    const v = devalue.parse(frame) as { id?: unknown } | null;
    const id = v && typeof v === 'object' ? v.id : undefined;
    return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : null;
  } catch {
    return null;
  }
}

/** The encoder a test client uses (the same library as the tab). */
export const encodeCall = (call: WireCall): string => devalue.stringify(call);
export const decodeMessage = (frame: string): WireMessage => devalue.parse(frame) as WireMessage;
