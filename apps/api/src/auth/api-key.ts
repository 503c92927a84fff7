import { createHash, randomBytes } from 'node:crypto';

// Keys are shown once at creation and stored only as their SHA-256 (hex): a leaked table does not leak keys.
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

export function newApiKey(): string {
  return `lk_${randomBytes(24).toString('base64url')}`;
}

export function newApiKeyId(): string {
  return `key_${randomBytes(6).toString('hex')}`;
}

export const API_KEY_HEADER = 'x-api-key';
export const API_KEY_QUERY = 'key';
