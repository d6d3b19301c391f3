// The feeds of live meetings in this process: each meeting's watchers, and the final segments
// heard so far for watchers who join late. The feed is held in this process: watchers must be
// connected to the node that takes the audio (route a meeting's /live and /live/events to the
// same node, e.g. by meeting id).

/** What a watcher receives for each segment: exactly the Zoom panel's contract. */
export interface LiveSegment {
  speaker: string;
  startMs: number;
  endMs: number;
  text: string;
  /** False while the engine may still change it; true once it is stored. */
  final: boolean;
}

export type LiveEvent =
  | { type: 'segment'; segment: LiveSegment }
  | { type: 'ended'; status: 'summarizing' | 'failed'; segments: number; reason?: string };

/** Live audio as accepted: 16 kHz mono 16-bit little-endian PCM. */
export const LIVE_FORMAT = { sampleRateHz: 16_000, channels: 1, bitsPerSample: 16 } as const;

interface Feed {
  listeners: Set<(event: LiveEvent) => void>;
  /** Final segments so far, for watchers who join late (memory only, while capturing). */
  finals: LiveSegment[];
  capturing: boolean;
}

export class LiveFeeds {
  readonly #feeds = new Map<string, Feed>();

  #feed(key: string): Feed {
    let feed = this.#feeds.get(key);
    if (!feed) {
      feed = { listeners: new Set(), finals: [], capturing: false };
      this.#feeds.set(key, feed);
    }
    return feed;
  }

  #drop(key: string): void {
    const feed = this.#feeds.get(key);
    if (feed && !feed.capturing && feed.listeners.size === 0) this.#feeds.delete(key);
  }

  /** Listens to a meeting's feed; `catchUp` holds the final segments heard before. */
  watch(
    tenantId: string,
    meetingId: string,
    listener: (event: LiveEvent) => void,
  ): { catchUp: LiveSegment[]; capturing: boolean; stop(): void } {
    const key = `${tenantId}:${meetingId}`;
    const feed = this.#feed(key);
    feed.listeners.add(listener);
    return {
      catchUp: [...feed.finals],
      capturing: feed.capturing,
      stop: () => {
        feed.listeners.delete(listener);
        this.#drop(key);
      },
    };
  }

  isCapturing(tenantId: string, meetingId: string): boolean {
    return this.#feeds.get(`${tenantId}:${meetingId}`)?.capturing ?? false;
  }

  /** Marks a capture started; false when this node already captures the meeting. */
  start(tenantId: string, meetingId: string): boolean {
    const feed = this.#feed(`${tenantId}:${meetingId}`);
    if (feed.capturing) return false;
    feed.capturing = true;
    feed.finals = [];
    return true;
  }

  publish(tenantId: string, meetingId: string, event: LiveEvent): void {
    const key = `${tenantId}:${meetingId}`;
    const feed = this.#feed(key);
    if (event.type === 'segment' && event.segment.final) feed.finals.push(event.segment);
    if (event.type === 'ended') {
      feed.capturing = false;
      feed.finals = [];
    }
    for (const listener of [...feed.listeners]) {
      try {
        listener(event);
      } catch {
        // A watcher that fails (a closed connection) does not stop the others.
      }
    }
    this.#drop(key);
  }
}
