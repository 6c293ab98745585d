// wink.js - UPOS accuracy and speed of wink-nlp on a CoNLL-U file, scored the
// way bench/tag_eval.c scores "casus tokens": wink tokenizes each sentence's
// "# text" itself; its tokens are aligned to gold words by character span and
// UPOS is the F1 of aligned words with the same tag.
//
//   cd bench/wink && npm install && node wink.js ../../../shared/data/ud-english-ewt/en_ewt-ud-test.conllu
const fs = require('fs');
const winkNLP = require('wink-nlp');
const model = require('wink-eng-lite-web-model');
const nlp = winkNLP(model);
const its = nlp.its;

const path = process.argv[2];
const sents = [];
let cur = null;
for (const line of fs.readFileSync(path, 'utf8').split('\n')) {
  if (line.startsWith('# text = ')) { cur = { text: line.slice(9), words: [] }; sents.push(cur); continue; }
  if (!line || line[0] === '#' || !cur) continue;
  const c = line.split('\t');
  if (c.length !== 10 || c[0].includes('-') || c[0].includes('.')) continue;
  cur.words.push({ form: c[1], upos: c[3] });
}
// Gold character spans: forms in order inside the text.
for (const s of sents) {
  let pos = 0;
  for (const w of s.words) {
    const i = s.text.indexOf(w.form, pos);
    if (i < 0) { w.start = -1; continue; }   // a multiword part such as "wo"
    w.start = i; w.end = i + w.form.length; pos = w.end;
  }
}
const t0 = process.hrtime.bigint();
const out = sents.map((s) => {
  const doc = nlp.readDoc(s.text);
  return { tokens: doc.tokens().out(), pos: doc.tokens().out(its.pos) };
});
const secs = Number(process.hrtime.bigint() - t0) / 1e9;
let gold = 0, sys = 0, aligned = 0, ok = 0;
sents.forEach((s, k) => {
  const { tokens, pos } = out[k];
  let p = 0;
  const spans = new Map();
  tokens.forEach((t, j) => {
    const i = s.text.indexOf(t, p);
    if (i >= 0) { spans.set(i + ':' + (i + t.length), pos[j]); p = i + t.length; }
  });
  gold += s.words.length; sys += tokens.length;
  for (const w of s.words) {
    const tag = spans.get(w.start + ':' + w.end);
    if (w.start >= 0 && tag !== undefined) { aligned++; if (tag === w.upos) ok++; }
  }
});
const f1 = (m) => (200 * m / (gold + sys)).toFixed(2);
console.log(`wink-nlp ${require('wink-nlp/package.json').version} + wink-eng-lite-web-model ${require('wink-eng-lite-web-model/package.json').version}`);
console.log(`${path}: ${sents.length} sentences, ${gold} gold words, ${sys} wink tokens`);
console.log(`Words F1 ${f1(aligned)}  UPOS F1 ${f1(ok)}  (UPOS accuracy on aligned words ${(100 * ok / aligned).toFixed(2)})`);
console.log(`speed: ${Math.round(sys / secs)} tokens/s (tokenize + tag, ${secs.toFixed(2)} s, one core)`);
