import { ApiError } from './api-error';

// Keyset cursors are opaque to clients (base64url of a small JSON array) so the sort key can change without
// breaking them; they are validated like any other input.
export function encodeCursor(parts: readonly (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, length: number): (string | number | null)[] {
  try {
    const parts: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parts) &&
      parts.length === length &&
      parts.every((p) => p === null || typeof p === 'string' || typeof p === 'number')
    ) {
      return parts as (string | number | null)[];
    }
  } catch {
    // fall through to the 400 below
  }
  throw ApiError.invalid([{ field: 'cursor', message: 'is not a cursor returned by this endpoint' }]);
}
