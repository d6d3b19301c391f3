// A local WebSocket server that speaks enough of the Azure Speech service's speech-to-text
// websocket protocol for the real microsoft-cognitiveservices-speech-sdk ConversationTranscriber
// (pointed at it with SpeechConfig.fromEndpoint(ws://127.0.0.1…)) to run a whole session.
//
// The protocol (Speech SDK / "Speech service websocket protocol"):
//   - The client connects with `Ocp-Apim-Subscription-Key` and `X-ConnectionId` as headers, or
//     (from Node's WebSocket, which cannot set headers) as query parameters; a wrong key is
//     refused at the upgrade with 401.
//   - Text frames are "Header: value\r\n…\r\n\r\n<JSON body>" with Path, X-RequestId,
//     X-Timestamp and Content-Type headers. The client sends `speech.config` and
//     `speech.context` (the latter carries phraseDetection.speakerDiarization for diarization).
//   - Binary frames are a 2-byte big-endian header length, the headers (Path: audio,
//     X-RequestId…), then audio: the first carries a RIFF/WAV header, an empty one ends the audio.
//   - The service answers with text frames carrying the client's X-RequestId: turn.start,
//     speech.startDetected {Offset}, speech.hypothesis {Text, Offset, Duration, SpeakerId},
//     speech.phrase {RecognitionStatus, DisplayText, Offset, Duration, SpeakerId},
//     speech.endDetected {Offset}, turn.end. Offsets and durations are in 100 ns ticks.
//
// The far side does not recognize speech: the test gives it a script of phrases (text, speaker,
// times), and each phrase is sent once that much audio has arrived, so results follow the audio.
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';

export interface ScriptedPhrase {
  text: string;
  speakerId: string;
  startMs: number;
  endMs: number;
}

export interface SpeechSession {
  url: string;
  /** Paths of the text frames received, in order. */
  textPaths: string[];
  /** The speech.context body, parsed. */
  context: Record<string, unknown> | null;
  /** PCM bytes received after the WAV header. */
  audioBytes: number;
  /** The WAV header of the first audio frame: sample rate, channels, bits. */
  format: { sampleRate: number; channels: number; bitsPerSample: number } | null;
  ended: boolean;
}

export interface FakeAzureSpeech {
  /** ws://127.0.0.1:<port>/speech/recognition/conversation/cognitiveservices/v1 */
  readonly endpoint: string;
  readonly key: string;
  readonly sessions: SpeechSession[];
  /** What the far side will "hear" in the next sessions. */
  script: ScriptedPhrase[];
  close(): Promise<void>;
}

const TICKS_PER_MS = 10_000;
const WAV_HEADER_BYTES = 44;

export async function startFakeAzureSpeech(): Promise<FakeAzureSpeech> {
  const key = randomBytes(16).toString('hex');
  const sessions: SpeechSession[] = [];
  const fake = { script: [] as ScriptedPhrase[] };
  const server = http.createServer((_req, res) => {
    res.writeHead(404).end();
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    // Node's WebSocket cannot set headers, so the SDK sends the key as a query parameter there.
    const query = new URL(req.url ?? '/', 'ws://fake').searchParams;
    const given =
      req.headers['ocp-apim-subscription-key'] ?? query.get('Ocp-Apim-Subscription-Key');
    if (given !== key) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serve(ws, req.url ?? '/'));
  });

  function serve(ws: WebSocket, url: string): void {
    const session: SpeechSession = {
      url,
      textPaths: [],
      context: null,
      audioBytes: 0,
      format: null,
      ended: false,
    };
    sessions.push(session);
    const script = [...fake.script];
    let requestId = '';
    let turnStarted = false;
    let speechStarted = false;
    let next = 0;

    const send = (path: string, body: unknown) => {
      const headers =
        `Path: ${path}\r\nX-RequestId: ${requestId}\r\nX-Timestamp: ${new Date().toISOString()}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n\r\n';
      ws.send(headers + JSON.stringify(body));
    };
    const heardMs = () => (session.audioBytes / 2 / (session.format?.sampleRate ?? 16000)) * 1000;
    const sendDue = (all: boolean) => {
      while (next < script.length && (all || script[next]!.endMs <= heardMs())) {
        const phrase = script[next++]!;
        const offset = phrase.startMs * TICKS_PER_MS;
        const duration = (phrase.endMs - phrase.startMs) * TICKS_PER_MS;
        if (!speechStarted) {
          speechStarted = true;
          send('speech.startDetected', { Offset: offset });
        }
        const words = phrase.text.split(' ');
        send('speech.hypothesis', {
          Text: words
            .slice(0, Math.ceil(words.length / 2))
            .join(' ')
            .toLowerCase(),
          Offset: offset,
          Duration: Math.round(duration / 2),
          SpeakerId: 'Unknown',
        });
        send('speech.phrase', {
          RecognitionStatus: 'Success',
          DisplayText: phrase.text,
          Offset: offset,
          Duration: duration,
          SpeakerId: phrase.speakerId,
          Channel: 0,
        });
      }
    };

    ws.on('message', (data, isBinary) => {
      const buffer = Buffer.isBuffer(data) ? data : Buffer.concat(data as Buffer[]);
      if (!isBinary) {
        const text = buffer.toString('utf8');
        const split = text.indexOf('\r\n\r\n');
        const headers = parseHeaders(text.slice(0, split));
        requestId = headers['x-requestid'] ?? requestId;
        session.textPaths.push(headers.path ?? '');
        if (headers.path === 'speech.context') {
          session.context = JSON.parse(text.slice(split + 4)) as Record<string, unknown>;
        }
        return;
      }
      const headerLength = buffer.readUInt16BE(0);
      const headers = parseHeaders(buffer.subarray(2, 2 + headerLength).toString('latin1'));
      requestId = headers['x-requestid'] ?? requestId;
      let audio = buffer.subarray(2 + headerLength);
      if (headers.path !== 'audio') return;
      if (!turnStarted) {
        turnStarted = true;
        send('turn.start', { context: { serviceTag: randomUUID().replaceAll('-', '') } });
      }
      if (
        session.format === null &&
        audio.length >= WAV_HEADER_BYTES &&
        audio.subarray(0, 4).toString() === 'RIFF'
      ) {
        session.format = {
          channels: audio.readUInt16LE(22),
          sampleRate: audio.readUInt32LE(24),
          bitsPerSample: audio.readUInt16LE(34),
        };
        audio = audio.subarray(WAV_HEADER_BYTES);
        // The SDK sends the header in a frame of its own: that is not the end of the audio.
        if (audio.length === 0) return;
      }
      if (audio.length === 0) {
        session.ended = true;
        sendDue(true);
        send('speech.endDetected', { Offset: Math.round(heardMs() * TICKS_PER_MS) });
        send('turn.end', {});
        return;
      }
      session.audioBytes += audio.length;
      sendDue(false);
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  const result: FakeAzureSpeech = {
    endpoint: `ws://127.0.0.1:${address.port}/speech/recognition/conversation/cognitiveservices/v1`,
    key,
    sessions,
    get script() {
      return fake.script;
    },
    set script(value) {
      fake.script = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return result;
}

function parseHeaders(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0)
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}
