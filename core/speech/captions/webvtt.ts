// Reads a WebVTT transcript into one segment per cue. Teams names the speaker with a voice tag
// (<v Ana Lopez>…</v>); Zoom starts each cue's text with "Ana Lopez: ". webvtt-parser does the
// reading (timings, tags, entities); this module only decides who spoke and what was said.
import webvtt, { type VttCue, type VttNode, type VttParseError } from 'webvtt-parser';
import entities from 'webvtt-parser/html-entities.json' with { type: 'json' };
import { UNKNOWN_SPEAKER, type Segment } from '../segment.ts';
import { TranscriptionError } from '../transcriber.ts';

// Problems after which a cue or the whole file is lost. Others (header lines, cue order,
// placement settings, a missing blank line) leave every cue readable and are let through.
const LOSES_CUES = [
  /^No valid signature/,
  /^Cue identifier/,
  /timestamp/i,
  /^No time unit separator/,
  /^Must be exactly two digits/,
  /^No seconds found/,
  /^No decimal separator/,
  /^Milliseconds must be/,
  /^You cannot have more than 59/,
];
// Reported for cues the parser kept in full; end-before-start is checked on the cue itself.
const HARMLESS = [
  /^Start timestamp is not greater/,
  /^End timestamp is not greater/,
  /not separated from/,
];

// "Ana Lopez: text" — a display name of one to six words before the first colon. Digits are
// allowed ("Room 4B") but a time ("10:30") is not a name.
const NAME_PREFIX =
  /^\s*([\p{L}\p{M}][\p{L}\p{M}\p{N}.'’()-]*(?: [\p{L}\p{M}\p{N}.'’()-]+){0,5}):\s+/u;

/** One segment per cue with text, in order of start time. Throws on a file that loses cues. */
export function readWebVtt(text: string): Segment[] {
  if (text.trim() === '') {
    throw new TranscriptionError('The captions file is empty; expected a WebVTT file (WEBVTT …).');
  }
  const parser = new webvtt.WebVTTParser(entities);
  // "metadata" mode reads cue text the same way but does not report markup slips inside it
  // (a stray "&", an unclosed <i>), which cost no words.
  const { cues, errors } = parser.parse(text, 'metadata');
  const fatal = errors.find((e) => LOSES_CUES.some((p) => p.test(e.message)) && !isHarmless(e));
  if (fatal) throw vttError(fatal);

  const read = cues.map((cue, i) => readCue(cue, i));
  const named = read.filter((cue) => cue.prefixed !== null).length;
  // Only a file whose cues mostly start with "Name:" is in Zoom's style; elsewhere a leading
  // "Action item:" or "Note:" is part of what was said, not a speaker.
  const prefixStyle = named * 2 > read.length;

  const segments: Segment[] = [];
  for (const cue of read) {
    const prefix = prefixStyle && cue.voice === null ? cue.prefixed : null;
    const speaker = cue.voice ?? prefix?.name ?? UNKNOWN_SPEAKER;
    const spoken = tidy(prefix ? prefix.rest : cue.text);
    if (spoken === '') continue;
    segments.push({
      speaker,
      startMs: cue.startMs,
      endMs: cue.endMs,
      text: spoken,
      confidence: null,
    });
  }
  return segments;
}

interface ReadCue {
  startMs: number;
  endMs: number;
  voice: string | null;
  text: string;
  prefixed: { name: string; rest: string } | null;
}

function readCue(cue: VttCue, position: number): ReadCue {
  const id = cue.id.trim() === '' ? `#${position + 1}` : cue.id.trim();
  const startMs = Math.round(cue.startTime * 1000);
  const endMs = Math.round(cue.endTime * 1000);
  if (endMs < startMs) {
    throw new TranscriptionError(
      `Cue ${id} ends (${cue.endTime}s) before it starts (${cue.startTime}s); fix its timing line.`,
    );
  }
  const voice = firstVoice(cue.tree.children);
  const text = textOf(cue.tree.children);
  const match = NAME_PREFIX.exec(text);
  const prefixed = match ? { name: match[1]!.trim(), rest: text.slice(match[0].length) } : null;
  return {
    startMs,
    endMs,
    voice: voice === null ? null : tidy(decodeEntities(voice)) || null,
    text,
    prefixed,
  };
}

/**
 * webvtt-parser decodes character references in cue text but leaves a voice annotation as
 * written, so "<v Zo&euml; Faure>" would keep its entity; the spec decodes both.
 */
function decodeEntities(annotation: string): string {
  const table = entities as Record<string, string>;
  return annotation.replace(/&(#x[0-9a-f]+|#\d+|[a-z][a-z0-9]*);/gi, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code =
        ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return table[whole] ?? whole;
  });
}

function firstVoice(nodes: VttNode[]): string | null {
  for (const node of nodes) {
    if (node.type !== 'object') continue;
    if (node.name === 'v' && typeof node.value === 'string' && node.value.trim() !== '') {
      return node.value;
    }
    const inner = firstVoice(node.children ?? []);
    if (inner !== null) return inner;
  }
  return null;
}

/** The words of a cue: text nodes in order, ruby annotations (<rt>) left out. */
function textOf(nodes: VttNode[]): string {
  let out = '';
  for (const node of nodes) {
    if (node.type === 'text' && typeof node.value === 'string') out += node.value;
    else if (node.type === 'object' && node.name !== 'rt') out += textOf(node.children ?? []);
  }
  return out;
}

/** Line breaks and no-break spaces become single spaces. */
function tidy(text: string): string {
  return text.replace(/[\s\u00a0\u200e\u200f]+/g, ' ').trim();
}

function isHarmless(error: VttParseError): boolean {
  return HARMLESS.some((p) => p.test(error.message));
}

function vttError(error: VttParseError): TranscriptionError {
  const where =
    error.col === undefined ? `line ${error.line}` : `line ${error.line}, column ${error.col}`;
  const hint = /signature/.test(error.message)
    ? 'A WebVTT file starts with the line WEBVTT.'
    : 'Each cue needs a timing line such as 00:00:01.000 --> 00:00:04.000, then its text.';
  return new TranscriptionError(
    `Not a readable WebVTT transcript: ${where}: ${error.message} ${hint}`,
  );
}
