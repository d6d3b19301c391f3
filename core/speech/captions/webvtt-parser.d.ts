// Types for the parts of webvtt-parser (which ships none) that the captions reader uses.
declare module 'webvtt-parser' {
  export interface VttNode {
    type: 'object' | 'text' | 'timestamp';
    /** Tag name for objects: "v", "c", "i", "b", "u", "lang", "ruby", "rt". */
    name?: string;
    /** Text for text nodes, the annotation (speaker) for <v>, seconds for timestamps. */
    value?: string | number;
    children?: VttNode[];
  }

  export interface VttCue {
    id: string;
    /** Seconds. */
    startTime: number;
    endTime: number;
    text: string;
    tree: { children: VttNode[] };
  }

  export interface VttParseError {
    message: string;
    /** 1-based line of the file. */
    line: number;
    col?: number;
  }

  export interface VttParseResult {
    cues: VttCue[];
    errors: VttParseError[];
  }

  export class WebVTTParser {
    constructor(entities?: Record<string, string>);
    parse(input: string, mode?: 'metadata' | 'chapters' | 'subtitles'): VttParseResult;
  }

  const webvtt: { WebVTTParser: typeof WebVTTParser };
  export default webvtt;
}
