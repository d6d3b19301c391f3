// Content words of a sentence, lightly stemmed so "budgets" and "budget" count as one term.

const STOPWORDS = new Set(
  `a about above after again against all also am an and any are aren't as at be because been
  before being below between both but by can can't cannot could couldn't did didn't do does
  doesn't doing don't down during each else even ever every few for from further get gets got
  had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself him
  himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself just let let's
  like maybe me might more most much must mustn't my myself need no nor not now of off ok okay on
  once one only or other ought our ours ourselves out over own really right said same say says
  shall shan't she she'd she'll she's should shouldn't so some such sure than that that's the
  their theirs them themselves then there there's these they they'd they'll they're they've
  thing things think this those though through to too under until up us very want was wasn't we
  we'd we'll we're we've well were weren't what what's when when's where where's which while who
  who's whom why why's will with won't would wouldn't yeah yes yet you you'd you'll you're you've
  your yours yourself yourselves going gonna go know mean kind actually um uh oh hmm`.split(/\s+/),
);

/** Lower-case words of the text, apostrophes kept ("let's"), curly ones made straight. */
export function words(text: string): string[] {
  return (
    text
      .toLowerCase()
      .replace(/’/g, "'")
      .match(/[\p{L}\p{N}]+(?:'[\p{L}]+)?/gu) ?? []
  );
}

export function isStopword(word: string): boolean {
  return STOPWORDS.has(word);
}

/** Content terms: stopwords and one-letter words dropped, the rest stemmed. */
export function contentTerms(text: string): string[] {
  return words(text)
    .filter((w) => w.length > 1 && !STOPWORDS.has(w))
    .map(stem);
}

/** A small suffix stripper: enough to join plurals and -ing/-ed forms, never a dictionary. */
export function stem(word: string): string {
  let w = word.replace(/'s$/, '');
  if (w.length > 4 && w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  if (w.length > 4 && w.endsWith('sses')) return w.slice(0, -2);
  if (w.length > 3 && w.endsWith('s') && !/(?:ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith('ing')) return w.slice(0, -3);
  if (w.length > 4 && w.endsWith('ed')) return w.slice(0, -2);
  return w;
}
