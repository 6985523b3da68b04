import { fold } from '../nlu/spelling.js';

// The satisfaction survey after a ticket is resolved: asked once, answered with a number from 1
// to 5 in any of the ways people write it, with an optional comment.

export interface SurveyAnswer {
  rating: number;
  /** Words said with the rating ("5, foram rápidos"), when there were any. */
  comment: string | null;
}

const WORDS: Array<[RegExp, number]> = [
  [/\b(pessim[oa]|horrivel|terrivel|muito ruim)\b/, 1],
  [/\b(ruim|fraco|demorad[oa])\b/, 2],
  [/\b(regular|mais ou menos|razoavel|mediano|ok)\b/, 3],
  [/\b(bom|boa|legal|gostei)\b/, 4],
  [/\b(otim[oa]|excelente|perfeito|maravilhos[oa]|nota (dez|10)|top|sensacional|muito bom)\b/, 5],
];

/** "5", "nota 4", "4 estrelas", "⭐⭐⭐⭐", "5/5", "ótimo" -> the rating; null when none is there. */
export function parseRating(text: string): SurveyAnswer | null {
  const stars = (text.match(/\u2B50|\u{1F31F}|\u2605/gu) ?? []).length;
  const t = fold(text);
  let rating: number | null = null;
  let rest = t;
  const n = /^(?:(?:dou |da |de )?(?:nota )?)?([1-5])(?!\s*(?:dias?|horas?|semanas?|meses|anos|reais|minutos?)\b)(?:\s*(?:\/\s*5|de 5|estrelas?|pontos?))?\b/.exec(t);
  if (n) {
    rating = Number(n[1]);
    rest = t.slice(n[0].length);
  } else if (stars >= 1 && stars <= 5) {
    rating = stars;
  } else if (t.split(' ').length <= 6) {
    for (const [re, value] of WORDS) if (re.test(t)) rating = value; // the strongest word wins ("muito bom" after "bom")
  }
  if (rating === null) return null;
  const comment = text.replace(/^[\s\d⭐🌟★/.,!-]*(?:nota|estrelas?|de 5)?[\s,.:;-]*/iu, '').trim();
  // Words that carry the rating ("ruim demais, demoraram") are the comment too.
  const said = n ? (rest.trim() && comment.length >= 3 ? comment : null) : t.split(' ').length >= 2 ? text.trim() : null;
  return { rating, comment: said };
}

export const surveyTexts = {
  ask: (protocol: string) =>
    `Sua solicitação *${protocol}* foi concluída. ✅ Pode me contar como foi o atendimento? Responda com uma nota de *1* (muito ruim) a *5* (excelente).`,
  askComment: 'Obrigado pela nota! 🙏 Quer deixar um comentário? Escreva aqui, ou responda *não*.',
  thanks: 'Obrigado pela avaliação! 💙 Ela ajuda a nossa equipe a melhorar. Se precisar de algo mais, é só escrever.',
};
