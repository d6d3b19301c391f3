// Small counts people write as words ("every two weeks", "three hours"). One table, so the
// readers of lengths and of repetitions agree on which words are numbers and what they are
// worth. It starts at two because repetition has always read counts from two; durations adds
// "one" and its larger words ("fifteen", "forty-five", ...) on top.
export const NUMBER_WORDS_TWO_TO_TWELVE: Readonly<Record<string, number>> = {
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
};
