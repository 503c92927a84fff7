import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { JsonLogger } from '@app/observability';
import { API_SETTINGS, streamSettingsOf, type ApiAppSettings } from '../api-settings';
import { ApiKeyStore } from '../auth/api-key.store';
import type { Principal } from '../auth/principal';
import { ApiError } from '../common/api-error';

interface OpenStream {
  principal: Principal;
  // Ends the stream (the client sees it close and, being refused on reconnect, learns why).
  end(reason: string): void;
}

// Live streams end when access ends: every open stream's key is re-read from the table (not the key cache) every
// keyRecheckIntervalMs, one query for all streams; a stream whose key was revoked or deleted is ended. And one
// key holds at most streamsPerKeyMax streams on this instance.
@Injectable()
export class StreamAccess implements OnApplicationShutdown {
  private readonly streams = new Set<OpenStream>();
  private readonly perKey = new Map<string, number>();
  private readonly recheckIntervalMs: number;
  private readonly streamsPerKeyMax: number;
  private timer: NodeJS.Timeout | null = null;
  private checking = false;

  constructor(
    private readonly keys: ApiKeyStore,
    private readonly logger: JsonLogger,
    @Inject(API_SETTINGS) settings: ApiAppSettings,
  ) {
    const s = streamSettingsOf(settings);
    this.recheckIntervalMs = s.streamKeyRecheckIntervalMs;
    this.streamsPerKeyMax = s.streamsPerKeyMax;
  }

  // Registers a stream before anything is written to it; 429 when the key already holds its maximum.
  open(principal: Principal, end: (reason: string) => void): () => void {
    const count = this.perKey.get(principal.keyId) ?? 0;
    if (count >= this.streamsPerKeyMax) {
      throw new ApiError('TOO_MANY_STREAMS', `this key already has ${count} open alert streams (at most ${this.streamsPerKeyMax})`, {
        streamsPerKeyMax: this.streamsPerKeyMax,
      });
    }
    const stream: OpenStream = { principal, end };
    this.streams.add(stream);
    this.perKey.set(principal.keyId, count + 1);
    this.timer ??= setInterval(() => void this.recheck(), this.recheckIntervalMs);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.streams.delete(stream);
      const left = (this.perKey.get(principal.keyId) ?? 1) - 1;
      if (left > 0) this.perKey.set(principal.keyId, left);
      else this.perKey.delete(principal.keyId);
      if (this.streams.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = null;
      }
    };
  }

  private async recheck(): Promise<void> {
    if (this.checking || this.streams.size === 0) return;
    this.checking = true;
    try {
      const valid = await this.keys.stillValid([...this.perKey.keys()]);
      for (const stream of [...this.streams]) {
        if (!valid.has(stream.principal.keyId)) stream.end('the API key was revoked');
      }
    } catch (error) {
      // Fail closed: a key that cannot be checked is not trusted with a live stream.
      this.logger.warn({ msg: 'cannot re-check the keys of open alert streams; ending them', err: error });
      for (const stream of [...this.streams]) stream.end('the API key could not be re-checked');
    } finally {
      this.checking = false;
    }
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
