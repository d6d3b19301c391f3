// What pocketsphinx_continuous -time yes prints, read into segments. The sample is real output
// of PocketSphinx 5prealpha on a spoken recording. A decoder reading live audio prints it in
// pieces, as the speaker pauses: read in any pieces, it gives the same segments, each as soon
// as its utterance has ended.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  PocketsphinxReader,
  readPocketsphinxOutput,
} from '../../../core/speech/pocketsphinx-output.ts';

const OUTPUT = `let's review the budget for next quarter
<s> 2.870 2.970 0.999300
let's 2.980 3.430 0.896898
review 3.440 3.910 0.562049
the 3.920 4.060 0.223784
budget 4.070 4.570 0.015725
for 4.580 4.840 0.701145
next 4.850 5.350 0.632577
<sil> 5.360 5.410 0.878082
quarter 5.420 6.010 0.349580
</s> 6.020 6.490 1.000000

<s> 6.600 6.700 0.999000
[NOISE] 6.710 6.900 0.400000
</s> 6.910 7.000 1.000000
we decided to hire two new engineers
<s> 7.400 7.490 0.999800
we 7.500 7.660 0.998701
decided 7.670 8.400 0.999700
to(3) 8.410 8.530 0.815035
hire 8.540 8.930 0.605586
two 8.940 9.250 0.301635
new 9.260 9.470 0.042427
engineers 9.480 10.560 0.964154
</s> 10.570 11.010 1.000000
`;

describe('readPocketsphinxOutput', () => {
  it('makes one segment per utterance with real words, fillers and pronunciation marks removed', () => {
    expect(readPocketsphinxOutput(OUTPUT, 'Speaker 1')).toEqual([
      {
        speaker: 'Speaker 1',
        startMs: 2980,
        endMs: 6010,
        text: "let's review the budget for next quarter",
        confidence: 0.483,
      },
      {
        speaker: 'Speaker 1',
        startMs: 7500,
        endMs: 10560,
        text: 'we decided to hire two new engineers',
        confidence: 0.675,
      },
    ]);
  });

  it('gives nothing for silence', () => {
    expect(readPocketsphinxOutput('', 'Speaker 1')).toEqual([]);
    expect(
      readPocketsphinxOutput(
        '\n<s> 0.000 0.100 1.000000\n</s> 0.100 0.200 1.000000\n',
        'Speaker 1',
      ),
    ).toEqual([]);
  });

  it('gives the same segments when the output arrives in any pieces', () => {
    const whole = readPocketsphinxOutput(OUTPUT, 'Speaker 1');
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(OUTPUT.length), { maxLength: 30 }), (cuts) => {
        const at = [0, ...cuts.sort((a, b) => a - b), OUTPUT.length];
        const reader = new PocketsphinxReader('Speaker 1');
        const read = at.slice(1).flatMap((end, i) => reader.read(OUTPUT.slice(at[i], end)));
        expect([...read, ...reader.end()]).toEqual(whole);
      }),
    );
  });

  it('gives an utterance as soon as its end is printed, before the next one starts', () => {
    const reader = new PocketsphinxReader('Speaker 1');
    const firstEnds = OUTPUT.indexOf('</s> 6.020 6.490 1.000000\n') + 26;
    expect(reader.read(OUTPUT.slice(0, firstEnds - 1))).toEqual([]);
    expect(reader.read(OUTPUT.slice(firstEnds - 1, firstEnds))).toMatchObject([
      { text: "let's review the budget for next quarter" },
    ]);
    expect(reader.read(OUTPUT.slice(firstEnds))).toMatchObject([
      { text: 'we decided to hire two new engineers' },
    ]);
    expect(reader.end()).toEqual([]);
  });
});
