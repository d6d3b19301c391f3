// PocketSphinx accuracy and speed on the reference recordings of pocketsphinx-testdata, with
// the general US English model: word error rate against the shipped transcriptions, and the
// real-time factor (processing time / audio time, ffmpeg conversion and model loading
// included, one process per file). `node tests/bench/speech.ts` prints one JSON line each.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createPocketsphinxTranscriber, wordErrors } from '../../core/speech/index.ts';

const TESTDATA = '/usr/share/pocketsphinx/test/data';
const CORPORA = [
  { name: 'librivox', dir: 'librivox', fileIds: 'fileids', transcription: 'transcription' },
  { name: 'cards', dir: 'cards', fileIds: 'cards.fileids', transcription: 'cards.transcription' },
];
const WAV_HEADER_BYTES = 44;
const BYTES_PER_SECOND = 16_000 * 2;

/** "<s> he was not an ill disposed young man </s> (file-id)" → file id → words. */
function references(file: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^(.*)\(([^()]+)\)\s*$/.exec(line.trim());
    if (match)
      found.set(
        match[2]!,
        match[1]!
          .replace(/<\/?s>/g, ' ')
          .replace(/\s+/g, ' ')
          .trim(),
      );
  }
  return found;
}

export async function benchSpeech(): Promise<Record<string, unknown>[]> {
  const transcriber = createPocketsphinxTranscriber();
  const figures: Record<string, unknown>[] = [];
  for (const corpus of CORPORA) {
    const dir = path.join(TESTDATA, corpus.dir);
    const refs = references(path.join(dir, corpus.transcription));
    const ids = readFileSync(path.join(dir, corpus.fileIds), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    let referenceWords = 0;
    let errors = 0;
    let audioSeconds = 0;
    let processingSeconds = 0;
    for (const id of ids) {
      const wav = path.join(dir, `${id}.wav`);
      audioSeconds += (statSync(wav).size - WAV_HEADER_BYTES) / BYTES_PER_SECOND;
      const begun = performance.now();
      const segments = await transcriber.transcribe({ kind: 'audio-file', path: wav });
      processingSeconds += (performance.now() - begun) / 1000;
      const counted = wordErrors(refs.get(id) ?? '', segments.map((s) => s.text).join(' '));
      referenceWords += counted.referenceWords;
      errors += counted.substitutions + counted.deletions + counted.insertions;
    }
    figures.push({
      bench: `speech.pocketsphinx.${corpus.name}`,
      model: 'en-us (general)',
      files: ids.length,
      referenceWords,
      audioSeconds: Math.round(audioSeconds * 10) / 10,
      wer: Math.round((errors / referenceWords) * 1000) / 1000,
      realTimeFactor: Math.round((processingSeconds / audioSeconds) * 100) / 100,
    });
  }
  return figures;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const figure of await benchSpeech()) console.log(JSON.stringify(figure));
}
