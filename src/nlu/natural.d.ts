// natural ships no types for these deep paths; importing them directly keeps start-up
// at ~0.1 s instead of ~1 s for the package index.
declare module 'natural/lib/natural/stemmers/porter_stemmer_pt.js' {
  const stemmer: { stem(token: string): string };
  export default stemmer;
}
declare module 'natural/lib/natural/util/stopwords_pt.js' {
  export const words: string[];
}
