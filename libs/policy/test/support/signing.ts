// Hand-made Ed25519 keys for the small specs: each from a fixed 32-byte seed, so a failing test names the same key
// every run. Events are signed as a publisher signs them (signEvent), and a Replayer is given the regulator's anchors.
import type { KeyObject } from 'node:crypto';
import { privateKeyObject, rawPublicKey, Replayer, signEvent, loadPolicyPack, type Authenticity, type Outcome } from '@app/policy';
import { line, nextId, type Json } from './events';

export interface TestKey {
  keyId: string;
  publicKey: string;
  privateKey: KeyObject;
}

// A key from a seed made of one repeated byte (0x01 .. 0xff).
export function testKey(keyId: string, seedByte: number): TestKey {
  const privateKey = privateKeyObject(Buffer.alloc(32, seedByte).toString('base64url'));
  return { keyId, publicKey: rawPublicKey(privateKey), privateKey };
}

export const REGULATOR_KEY = testKey('regulator/2026-1', 0x01);
export const NVIDIA_KEY = testKey('nvidia/2026-1', 0x02);
export const AWS_KEY = testKey('aws/2026-1', 0x03);

export function signed(event: Json, key: TestKey): Json {
  return signEvent(event, key.keyId, key.privateKey);
}

export function registerKey(key: { keyId: string; publicKey: string }, o: { eventId?: string; publisher?: string } = {}): Json {
  return {
    type: 'policy.publisher-key-registered',
    version: 1,
    eventId: o.eventId ?? nextId('key'),
    publisher: o.publisher ?? 'regulator',
    occurredAt: '2026-01-01T00:00:00Z',
    key: { keyId: key.keyId, publicKey: key.publicKey },
  };
}

export function revokeKey(keyId: string, o: { eventId?: string } = {}): Json {
  return {
    type: 'policy.publisher-key-revoked',
    version: 1,
    eventId: o.eventId ?? nextId('key-revoke'),
    publisher: 'regulator',
    occurredAt: '2026-06-01T00:00:00Z',
    key: { keyId },
  };
}

// Signatures required, REGULATOR_KEY the one trust anchor (unless told otherwise).
export function authenticity(o: Partial<Authenticity> = {}): Authenticity {
  return { enforcement: 'required', trustAnchors: new Map([[REGULATOR_KEY.keyId, REGULATOR_KEY.publicKey]]), ...o };
}

export interface SignedRun {
  replayer: Replayer;
  outcomes: Outcome[];
  push(event: Json | string): Outcome;
  // The code of the last outcome, or its status when not rejected.
  last(): string;
}

export function signedRun(lines: ReadonlyArray<Json | string> = [], auth: Authenticity = authenticity()): SignedRun {
  const replayer = new Replayer(loadPolicyPack(), { authenticity: auth });
  const run: SignedRun = {
    replayer,
    outcomes: [],
    push(event) {
      const outcome = replayer.push(line(event), run.outcomes.length + 1)!;
      run.outcomes.push(outcome);
      return outcome;
    },
    last() {
      const o = run.outcomes[run.outcomes.length - 1]!;
      return o.status === 'rejected' ? o.code : o.status;
    },
  };
  for (const l of lines) run.push(l);
  return run;
}

export function codeOf(outcome: Outcome): string {
  return outcome.status === 'rejected' ? outcome.code : outcome.status;
}
