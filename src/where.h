/*
 * where.h - places: the gazetteer index and the place resolver.
 *
 * The gazetteer (data/gazetteer.bin, built by tools/gen_gazetteer.c from
 * GeoNames cities and Debian's iso-codes; docs/FORMATS.md) is a model.h
 * container of kind "gazetteer": a table of places (countries, first-level
 * subdivisions, cities) and a hash table from folded names to the places
 * they may mean. It is mapped with mmap, validated once, and immutable, so
 * threads may share one index (each with its own context).
 *
 * The resolver reads a document's words, finds the place names in each
 * sentence (the longest run of words, starting at a capitalised one, that
 * the index knows), and picks for each name the place it most likely means,
 * using the countries the document has named so far, the sentence's own
 * countries and nationalities, "X, Y" and "X's Y" constructions, head
 * nouns ("Kerman province", "the city of Kerman") and population.
 */
#ifndef CASUS_WHERE_H
#define CASUS_WHERE_H

#include "casus.h"

#define WHERE_KIND "gazetteer"
#define WHERE_FILE "gazetteer.bin"

typedef enum where_precision {
    WHERE_NONE = 0,
    WHERE_COUNTRY = 1,
    WHERE_ADMIN1 = 2,    /* a first-level subdivision: province, state */
    WHERE_ADMIN2 = 3,    /* a second-level division: district, agency, county */
    WHERE_CITY = 4       /* a populated place: city, town, village */
} where_precision;

/* where_place.flags */
#define WHERE_VIA_DEMONYM 0x1u  /* only a nationality word ("Afghan") */
#define WHERE_LOCATIVE 0x2u     /* after "in", "near", "at", ... */
#define WHERE_ORIGIN 0x4u       /* after "from", "to", "via": not the scene */
#define WHERE_BORDER 0x8u       /* "the border with X", "the X border" */
#define WHERE_STATE 0x10u       /* a nationality word before the state's forces,
                                 * people or a place of it ("Iraqi police") */

/* One resolved place mention. */
typedef struct where_place {
    uint32_t id;              /* the place's index in the gazetteer */
    where_precision precision;
    const char *name;         /* NUL-terminated, borrowed from the index */
    const char *admin1;       /* the subdivision's name; "" if none */
    const char *country;      /* ISO 3166-1 alpha-3, e.g. "IRN" */
    double lat, lon;          /* degrees, WGS84 */
    uint32_t flags;           /* WHERE_VIA_DEMONYM, WHERE_LOCATIVE */
    size_t sentence;          /* index in casus_doc_sentences() */
    size_t first_token, n_tokens;  /* the words, in casus_doc_tokens() */
    size_t start, end;        /* their byte offsets in the raw text */
    int score;                /* how sure the resolver is (higher better) */
} where_place;

/* A reusable result vector (reset, not freed, between documents). */
typedef struct where_vec {
    where_place *v;
    size_t n, cap;
} where_vec;

typedef struct where_index where_index;

/*
 * Opens the gazetteer at path. With path NULL the first of these that
 * exists is used: $CASUS_GAZETTEER; <directory of the running
 * executable>/../data/gazetteer.bin (and ../../data, for the build
 * tree's benches and tests); PREFIX/share/casus/gazetteer.bin.
 * The index belongs to the caller (where_index_close, on ctx's thread).
 * Errors: CASUS_EIO (missing, unreadable), CASUS_EFORMAT (not a gazetteer,
 * truncated, corrupted, another version, inconsistent tables), CASUS_ENOMEM;
 * the message names the file.
 */
casus_status where_index_open(casus_ctx *ctx, const char *path,
                              where_index **out);
void where_index_close(where_index *ix);
/* The file the index came from; borrowed from ix. */
const char *where_index_path(const where_index *ix);
/* Places, and names (keys), in the index. */
size_t where_index_places(const where_index *ix);
size_t where_index_names(const where_index *ix);
/* 0 when no name of the index has the folded key (key, n); 1 when one may
 * have (the index's key filter: a few percent of other keys pass too). */
int where_index_may_have(const where_index *ix, const char *key, size_t n);

/* where_doc flags */
#define WHERE_NOTES 0x1u   /* report unknown names after "in", "near" as
                              CASUS_NOTE diagnostics */

/*
 * Finds and resolves the place names of a document that casus_doc_analyze()
 * has prepared (tagging is not needed). out is emptied, then holds every
 * resolved mention in text order; a nationality word yields a country-level
 * entry with WHERE_VIA_DEMONYM. Names the index does not know yield nothing
 * (and, with WHERE_NOTES, a note). Strings in out are borrowed from ix.
 * Errors: CASUS_ENOMEM only.
 */
casus_status where_doc(const where_index *ix, casus_doc *doc, unsigned flags,
                       where_vec *out);

/* The mention that best says where the document's event happened: the most
 * precise place named after a locative word, else the most precise; places
 * of origin and borders ("from Lebanon", "near the border with Mali") and
 * nationality words only when nothing else is named; the first of equals.
 * NULL when v is empty. Borrowed from v. */
const where_place *where_best(const where_vec *v);

/* where_best() without the places of origin and borders, and without
 * nationality words other than those of a state's forces, people or places
 * (WHERE_STATE): a document that names "Peshawar" only as a destination and
 * the Pakistani army as its victims happened in Pakistan; "a Canadian
 * tourist", "Palestinian gunmen" or "the Taliban" say nothing of where. NULL
 * when nothing is left. Borrowed from v. */
const where_place *where_best_scene(const where_vec *v);

/* Whether p is its country's capital city (the one "the Iranian capital"
 * names): the capital stands for the state as well ("Tehran's response",
 * "Tehran aims to"). */
int where_is_capital(const where_index *ix, const where_place *p);

void where_vec_free(casus_ctx *ctx, where_vec *v);

/*
 * Looks a name up out of context: "Kerman", "Deir al-Zour", "Pakistan".
 * Among the places it may mean, keeps those in country (an alpha-3 code;
 * NULL or "" for any) with at least precision min (WHERE_NONE for any) and
 * picks the most likely (countries, then capitals and large cities).
 * CASUS_OK with *out filled (no token span), or CASUS_DONE if none.
 */
casus_status where_lookup(const where_index *ix, const char *name, size_t n,
                          const char *country, where_precision min,
                          where_place *out);

/* Whether name is one of the names of the place p (its display name,
 * precision and position; p's other fields are not read) in country
 * (alpha-3; NULL or "" for any), by its key or its loose key
 * (where_loose): another spelling of the same place ("Uruzgan" for
 * GeoNames' "Orūzgān", "Qabasin" for "Kabbasin"). For evaluators, which
 * compare a record's place with a name. */
int where_may_name(const where_index *ix, const char *name, size_t n,
                   const char *country, const where_place *p);

/*
 * Folds a name to its index key: Latin letters without diacritics, lower
 * case, words separated by one space; apostrophes and periods vanish
 * ("Kermān" -> "kerman", "Deir ez-Zor" -> "deir ez zor", "U.S." -> "us").
 * Writes at most cap - 1 bytes and a NUL; returns the key's length, or 0
 * when the name holds a letter outside the Latin script or the key would
 * not fit. Shared by the generator and the resolver so keys always agree.
 */
size_t where_fold(const char *s, size_t n, char *out, size_t cap);

/*
 * The loose key of a folded key (where_fold's output), for names that
 * English transliterates from Arabic script in many ways: "~" then the key
 * without a leading Arabic article ("al", "as", "ash", ...), without the
 * spaces between words and a word's final "h" after a vowel, with every
 * run of vowels (a e i o u y, and w after a vowel before a consonant) one
 * "*", "q" as "k" and doubled letters once:
 * "Mahmoudiyah", "al-Mahmudiya" -> "~m*hm*d*"; "Tuz Khormato", "Tuz
 * Khurmatu" -> "~t*zkh*rm*t*"; "Sheikh Zuweid", "Shaykh Zuwayd" ->
 * "~sh*khz*w*d". Returns its length, or 0 when it would be too short to
 * tell places apart (fewer than four consonants) or not fit in cap.
 * Shared by the generator and the resolver so keys agree.
 */
size_t where_loose(const char *key, size_t kn, char *out, size_t cap);

#endif
