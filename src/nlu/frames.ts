// Question words and their structure are evidence: "o que é X", "quais os tipos de X", "quem
// pode X", "onde X" ask different things about the same X. The analyzer turns them into frame
// features (`?oque`, `?tipos`, `?quem`...) plus the frame joined to the first content word that
// follows it (`?quem>revog`), so "quem pode revogar" and "quem faz a emissão" stop reducing to
// the same bag of words.
//
// Patterns are folded words (no accents, WhatsApp spelling already expanded: "oq" is "o que").

const PATTERNS: Array<[string, string]> = [
  // what is
  ['o que e', 'oque'], ['o que eh', 'oque'], ['o que sao', 'oque'], ['o que significa', 'oque'], ['o que seria', 'oque'],
  ['o que quer dizer', 'oque'], ['que e', 'oque'], ['que sao', 'oque'], ['que seria', 'oque'], ['e o que', 'oque'],
  ['significa o que', 'oque'], ['o que vem a ser', 'oque'], ['que significa', 'oque'], ['oque e', 'oque'],
  // what for
  ['para que serve', 'paraque'], ['para que servem', 'paraque'], ['serve para que', 'paraque'], ['servem para que', 'paraque'],
  ['para que', 'paraque'], ['qual a finalidade', 'paraque'], ['qual e a finalidade', 'paraque'], ['qual a utilidade', 'paraque'],
  ['para qual finalidade', 'paraque'], ['finalidade', 'paraque'], ['serve para', 'paraque'], ['para serve', 'paraque'],
  // what to do
  ['o que fazer', 'fazer'], ['o que faco', 'fazer'], ['o que eu faco', 'fazer'], ['o que devo fazer', 'fazer'], ['o que eu devo fazer', 'fazer'],
  ['o que tenho que fazer', 'fazer'], ['o que preciso fazer', 'fazer'], ['como faco', 'fazer'], ['como eu faco', 'fazer'], ['como fazer', 'fazer'],
  ['como proceder', 'fazer'], ['como devo proceder', 'fazer'], ['como procedo', 'fazer'], ['e agora', 'fazer'], ['como resolvo', 'fazer'],
  ['como resolver', 'fazer'], ['o que pode ser feito', 'fazer'], ['quais sao as opcoes', 'fazer'], ['quais as opcoes', 'fazer'],
  // kinds
  ['quais os tipos', 'tipos'], ['quais sao os tipos', 'tipos'], ['quais tipos', 'tipos'], ['que tipo', 'tipos'], ['qual tipo', 'tipos'],
  ['tipos de', 'tipos'], ['que tipos', 'tipos'], ['qual modelo', 'tipos'], ['quais modelos', 'tipos'], ['quais os modelos', 'tipos'],
  ['qual o melhor', 'tipos'], ['qual e o melhor', 'tipos'], ['qual devo', 'tipos'], ['qual eu devo', 'tipos'], ['qual preciso', 'tipos'],
  ['qual eu preciso', 'tipos'], ['qual escolher', 'tipos'], ['qual comprar', 'tipos'],
  // difference
  ['qual a diferenca', 'diferenca'], ['qual e a diferenca', 'diferenca'], ['diferenca entre', 'diferenca'], ['qual diferenca', 'diferenca'],
  ['e a mesma coisa', 'diferenca'], ['e o mesmo que', 'diferenca'], ['e igual', 'diferenca'], ['muda alguma coisa', 'diferenca'],
  // time
  ['quanto tempo', 'tempo'], ['quantos dias', 'tempo'], ['em quanto tempo', 'tempo'], ['qual o prazo', 'tempo'], ['qual prazo', 'tempo'],
  ['quanto demora', 'tempo'], ['demora quanto', 'tempo'], ['demora muito', 'tempo'], ['quantas horas', 'tempo'], ['leva quanto', 'tempo'],
  // when
  ['quando', 'quando'], ['que dia', 'quando'], ['qual dia', 'quando'], ['qual data', 'quando'], ['em que data', 'quando'], ['em que dia', 'quando'],
  ['a partir de quando', 'quando'], ['ate quando', 'quando'],
  // how much
  ['quanto', 'quanto'], ['quantos', 'quanto'], ['quanta', 'quanto'], ['quantas', 'quanto'], ['qual o valor', 'quanto'], ['qual valor', 'quanto'],
  ['qual o percentual', 'quanto'], ['qual a porcentagem', 'quanto'],
  // where
  ['onde', 'onde'], ['aonde', 'onde'], ['em que lugar', 'onde'], ['qual site', 'onde'], ['qual o site', 'onde'], ['qual link', 'onde'],
  ['qual o link', 'onde'], ['em qual site', 'onde'], ['em que site', 'onde'], ['qual pagina', 'onde'], ['em que tela', 'onde'],
  // who
  ['quem', 'quem'], ['qual pessoa', 'quem'], ['qual profissional', 'quem'],
  // why
  ['por que', 'porque'], ['porque', 'porque'], ['por qual motivo', 'porque'], ['qual o motivo', 'porque'], ['qual motivo', 'porque'],
  ['por qual razao', 'porque'], ['qual a razao', 'porque'], ['pra que precisa', 'porque'], ['motivo', 'porque'],
  // may I / is it possible
  ['posso', 'pode'], ['pode', 'pode'], ['podemos', 'pode'], ['consigo', 'pode'], ['consegue', 'pode'], ['conseguimos', 'pode'], ['da para', 'pode'],
  ['tem como', 'pode'], ['e possivel', 'pode'], ['seria possivel', 'pode'], ['existe como', 'pode'], ['e permitido', 'pode'], ['tem problema', 'pode'],
  ['sera que', 'pode'], ['daria para', 'pode'], ['precisa', 'precisa'], ['e necessario', 'precisa'], ['e obrigatorio', 'precisa'],
  ['tem que', 'precisa'], ['preciso ter', 'precisa'], ['e preciso', 'precisa'],
  // how (generic, after the more specific ones)
  ['como', 'como'], ['de que forma', 'como'], ['de que maneira', 'como'], ['qual o procedimento', 'como'], ['qual o passo a passo', 'como'],
  // which
  ['qual', 'qual'], ['quais', 'qual'],
  // already (asking after something done: "já saiu?", "já foi feito?")
  ['ja', 'ja'], ['ainda nao', 'aindanao'],
  // is there
  ['tem', 'tem'], ['existe', 'tem'], ['voces tem', 'tem'], ['ha', 'tem'],
];

interface Pattern {
  words: string[];
  frame: string;
}

const BY_FIRST = new Map<string, Pattern[]>();
for (const [phrase, frame] of PATTERNS) {
  const words = phrase.split(' ');
  const list = BY_FIRST.get(words[0]) ?? [];
  list.push({ words, frame });
  BY_FIRST.set(words[0], list);
}
for (const list of BY_FIRST.values()) list.sort((a, b) => b.words.length - a.words.length);

export interface FrameHit {
  frame: string;
  /** Index of the first word after the matched phrase. */
  end: number;
}

/** The question frames of a folded word sequence, in order; the longest phrase wins at each place. */
export function findFrames(words: string[]): FrameHit[] {
  const hits: FrameHit[] = [];
  for (let i = 0; i < words.length; ) {
    const list = BY_FIRST.get(words[i]);
    let matched: Pattern | undefined;
    if (list) {
      for (const p of list) {
        if (i + p.words.length > words.length) continue;
        let ok = true;
        for (let k = 1; k < p.words.length; k++) if (words[i + k] !== p.words[k]) { ok = false; break; }
        if (ok) { matched = p; break; }
      }
    }
    if (matched) {
      hits.push({ frame: matched.frame, end: i + matched.words.length });
      i += matched.words.length;
    } else i++;
  }
  return hits;
}
