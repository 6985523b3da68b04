// The courtesy around a question: who is writing ("aqui é a Márcia da Contabilidade
// Horizonte") and how an e-mail-like message signs off ("Atenciosamente, Roberto Almeida.").
// Neither says what the person wants, and the names in them are words the FAQ never uses:
// left in, they pull the message towards whatever entry shares a surname or a company word.

/** Words that close a message and can be dropped with what follows them (a signature). */
const CLOSING_END = /(?:^|[\s,.;:!])(?:atenciosamente|att|atte|cordialmente|respeitosamente|abra[çc]os?|abs|bjs|beijos|sem mais(?: (?:para|pra) o momento| por ora| por enquanto| no momento| por hoje)?|(?:me )?despe[çc]o(?:-| )?me(?: cordialmente| por aqui)?|me despe[çc]o(?: cordialmente| por aqui)?)[\s,.;:!]*$/u;
/** Thanks that may carry a signature ("Obrigado, Carlos"): the signature goes, the thanks stay. */
const THANKS_END = /(?:^|[\s,.;:!])(?:obrigad[oa]s?|grat[oa]s?|agrade[çc]o|valeu)[\s,.;:!]*$/u;
/**
 * A signature: a few capitalised words (names, a company), with the small words names have,
 * at the very end; optionally after a dash or a line break.
 */
const SIGNATURE_END = /[\s,.;:!–—-]+((?:\p{Lu}[\p{L}'’.-]*)(?:\s+(?:(?:d[aeo]s?|e|&)\s+)?\p{Lu}[\p{L}'’.-]*){0,5})[\s.!]*$/u;

/** A sentence that only says who is writing: "aqui é a Márcia...", "meu nome é João", "sou a Ana, da loja X". */
const INTRODUCTION = /^(?:(?:oi+|ol[áa]|opa|bom dia|boa tarde|boa noite|prezad[oa]s?)[\s,!]+)*(?:aqui (?:é|e|eh|quem fala é|quem fala e|quem escreve é)|quem fala (?:é|e|aqui é)|meu nome (?:é|e)|me chamo|eu sou (?:o|a) \p{Lu}|sou (?:o|a) \p{Lu}|falo (?:da|do|pela|pelo) \p{Lu}|(?:s[óo] )?(?:passando|vim|venho) (?:aqui )?(?:pra|para) (?:me apresentar|dar um oi|cumprimentar))/iu;
/** "tudo bem?", "tudo certo por aí?": the question a greeting asks, not a question about the FAQ. */
const HOW_ARE_YOU = /,?\s*(?:tudo (?:bem|bom|certo|tranquilo|joia|jóia|ok|em paz)|como (?:vai|vão|est[áa]|est[ãa]o)(?: voc[eê]s?)?)(?: por a[ií]| com voc[eê]s?| a[ií])?\s*\?+/giu;
/** Good wishes that open a formal message: "Espero que estejam todos bem." */
const WELL_WISHES = /^(?:(?:oi+|ol[áa]|bom dia|boa tarde|boa noite|prezad[oa]s?)[\s,!]+)*espero que (?:voc[eê]s? )?(?:esteja|estejam)(?: todos| todas)? bem(?: por a[ií])?[.!]*$/iu;
/** Words that ask or tell something: a sentence with one is no mere introduction. */
const ASKS = /[?]|(?<![\p{L}])(?:preciso|precisava|precisamos|quero|queria|queremos|gostaria|gostar[ií]amos|como|quando|onde|qual|quais|quanto|quantos|pode|poderia|podem|poderiam|consigo|consegue|conseguimos|tem|tenho|temos|n[ãa]o|nao|porque|pq|ajuda|ajudar|d[úu]vida|problema|comprei|paguei|recebi|chegou|fiz|estou|est[áa]|t[ôo]|ta|tá|vou|venho|solicito|solicitar)(?![\p{L}])/iu;

export interface Courtesy {
  /** The message without introductions, sign-offs and signatures. */
  body: string;
  /** Something was dropped: an introduction sentence. */
  introduced: boolean;
  /** Something was dropped: a sign-off ("atenciosamente", "sem mais"). */
  signedOff: boolean;
}

/** Drops e-mail sign-offs and signatures at the end, and introduction sentences, from a message. */
export function stripCourtesy(text: string): Courtesy {
  let body = text.trimEnd();
  let signedOff = false;
  // Sign-offs come one after another ("Sem mais, despeço-me. Atenciosamente, Roberto."): from the end.
  for (let round = 0; round < 4 && body; round++) {
    const sig = SIGNATURE_END.exec(body);
    const before = sig ? body.slice(0, sig.index) : body;
    const lower = before.toLowerCase();
    const closing = CLOSING_END.exec(lower);
    if (closing) {
      body = body.slice(0, closing.index).trimEnd();
      signedOff = true;
      continue;
    }
    // "Obrigado, Carlos": the name goes.
    if (sig && THANKS_END.test(lower)) {
      body = before;
      continue;
    }
    break;
  }
  let introduced = false;
  if (/aqui|nome|chamo|sou|fala|passando|vim|venho|espero/i.test(body)) {
    // Sentences: an introduction ends at its full stop, question or exclamation mark, or line break.
    const parts = body.split(/(?<=[.!?\n])\s*/u);
    const kept = parts.filter((s) => {
      const intro = WELL_WISHES.test(s.trim()) || (INTRODUCTION.test(s.trim()) && !ASKS.test(s.replace(INTRODUCTION, '').replace(HOW_ARE_YOU, '')));
      if (intro) introduced = true;
      return !intro;
    });
    if (introduced) {
      // The greeting that opened the introduction stays: "Boa tarde, aqui é a Márcia" greets.
      const greeting = /^\s*((?:oi+|ol[áa]|opa|bom dia|boa tarde|boa noite)\b[\s,!]*)+/iu.exec(parts.find((s) => INTRODUCTION.test(s.trim())) ?? '');
      body = [greeting ? greeting[0].trim().replace(/[,!]*$/, ',') : '', ...kept].filter(Boolean).join(' ').replace(/,$/, '');
    }
  }
  return { body, introduced, signedOff };
}
