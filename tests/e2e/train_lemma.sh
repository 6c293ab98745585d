#!/bin/sh
# tests/e2e/train_lemma.sh - the lemmatizer's trainer with its irregular
# verb list (tools/train_lemma.c --irregular): past forms the treebank lacks
# take the list's base form; a malformed list names its file and line.
. tests/e2e/lib.sh
TL=$PWD/${BUILD:-build}/tools/train_lemma
[ -x "$TL" ] || { skip train-lemma "no $TL (make tools)"; exit 0; }
# Under `make check` the trainer is an ASan build: it is a one-shot tool that
# leaves its tables to the OS at exit, so leak reports (which would also eat
# its buffered output) are off; every other ASan and UBSan check stays on.
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
export ASAN_OPTIONS

# a tiny treebank: regular past tenses only
cat >"$T/train.conllu" <<'CONLLU'
# text = They walked and talked.
1	They	they	PRON	PRP	_	2	nsubj	_	_
2	walked	walk	VERB	VBD	_	0	root	_	_
3	and	and	CCONJ	CC	_	4	cc	_	_
4	talked	talk	VERB	VBD	_	2	conj	_	SpaceAfter=No
5	.	.	PUNCT	.	_	2	punct	_	_

CONLLU
cat >"$T/dev.conllu" <<'CONLLU'
# text = Villagers fled, prices had risen.
1	Villagers	villager	NOUN	NNS	_	2	nsubj	_	_
2	fled	flee	VERB	VBD	_	0	root	_	SpaceAfter=No
3	,	,	PUNCT	,	_	2	punct	_	_
4	prices	price	NOUN	NNS	_	6	nsubj	_	_
5	had	have	AUX	VBD	_	6	aux	_	_
6	risen	rise	VERB	VBN	_	2	parataxis	_	SpaceAfter=No
7	.	.	PUNCT	.	_	2	punct	_	_

CONLLU
printf '# base past participle\nflee fled fled\nrise rose risen\nhave had had\n' >"$T/irr.txt"

"$TL" --train "$T/train.conllu" --dev "$T/dev.conllu" --out "$T/a.bin" >"$T/a.out" 2>&1
"$TL" --train "$T/train.conllu" --dev "$T/dev.conllu" --irregular "$T/irr.txt" \
    --out "$T/b.bin" >"$T/b.out" 2>&1
a=$(sed -n 's/.*(gold XPOS): \([0-9.]*\)%.*/\1/p' "$T/a.out")
b=$(sed -n 's/.*(gold XPOS): \([0-9.]*\)%.*/\1/p' "$T/b.out")
# without the list only the two punctuation marks are right ("fled", "had",
# "risen" are guessed from "walked"); with it the three verbs too, 5 of 7 (no
# plural noun was seen in training)
if [ "$a" = "28.57" ] && [ "$b" = "71.43" ]; then ok train-lemma-irregular
else fail train-lemma-irregular "dev accuracy without the list $a, with it $b (want 28.57, 71.43)"; fi

# malformed lists: file and line named, no model written
printf 'flee fled fled\nrise rose\n' >"$T/bad1.txt"
printf 'flee fled fled\n\nRise rose risen\n' >"$T/bad2.txt"
for n in 1 2; do
    rm -f "$T/c.bin"
    if "$TL" --train "$T/train.conllu" --irregular "$T/bad$n.txt" --out "$T/c.bin" \
        >"$T/c.out" 2>&1; then
        fail train-lemma-bad$n "accepted a malformed list"
    elif ! grep -q "bad$n.txt:$((n + 1)):" "$T/c.out"; then
        fail train-lemma-bad$n "no file:line in: $(head -c 300 "$T/c.out")"
    elif [ -e "$T/c.bin" ]; then
        fail train-lemma-bad$n "wrote a model"
    else ok train-lemma-bad$n; fi
done

# an empty treebank: an error, no model
: >"$T/empty.conllu"
rm -f "$T/c.bin"
if "$TL" --train "$T/empty.conllu" --out "$T/c.bin" >"$T/c.out" 2>&1; then
    fail train-lemma-empty "accepted an empty treebank"
elif ! grep -q "empty.conllu: no words" "$T/c.out" || [ -e "$T/c.bin" ]; then
    fail train-lemma-empty "$(head -c 300 "$T/c.out")"
else ok train-lemma-empty; fi
