/*
 * model.h - the container for trained models (tagger, lemmatizer, parser,
 * and any later model): a versioned binary file with a header, a section
 * table and a checksum, loaded with mmap so that loading costs only the
 * checksum pass and the pages actually touched; models read at random copy
 * themselves to huge pages after the checks (model_make_hot).
 *
 * Layout (all integers little-endian; see docs/FORMATS.md):
 *
 *   0   char[8]  magic "CASUSMDL"
 *   8   u32      container format version (MODEL_FORMAT_VERSION)
 *   12  u32      number of sections
 *   16  u64      file size in bytes
 *   24  u64      checksum of bytes [header_size, file size)
 *   32  char[16] kind ("tagger", "parser", ...), NUL-padded
 *   48  char[16] model version, NUL-padded
 *   64  section table: per section char[16] name, u64 offset, u64 size
 *       (offsets are 8-byte aligned; sections follow the table)
 *
 * A loaded model is immutable, so threads may share it.
 */
#ifndef CASUS_MODEL_H
#define CASUS_MODEL_H

#include "casus.h"
#include "util/buf.h"

#define MODEL_MAGIC "CASUSMDL"
#define MODEL_FORMAT_VERSION 1u
#define MODEL_NAME_LEN 16

typedef struct model_section {
    char name[MODEL_NAME_LEN + 1];
    const unsigned char *data;
    uint64_t size;
} model_section;

typedef struct model_file {
    char kind[MODEL_NAME_LEN + 1];
    char version[MODEL_NAME_LEN + 1];
    void *map;               /* the whole file, read-only; NULL once hot */
    size_t map_size;
    void *hot;               /* model_make_hot's allocation, or NULL */
    model_section *sections;
    uint32_t n_sections;
} model_file;

/*
 * Maps and validates path: magic, format version, size, checksum, section
 * bounds and, when expect_kind is not NULL, the kind. On failure returns
 * CASUS_EIO (cannot open/map) or CASUS_EFORMAT (not a casus model, wrong
 * version, truncated, corrupted) with a message naming the file.
 */
casus_status model_open(casus_ctx *ctx, const char *path,
                        const char *expect_kind, model_file *out);
void model_close(casus_ctx *ctx, model_file *m);
/*
 * Copies the whole file into memory the kernel may back with 2 MiB pages,
 * points every section there and unmaps the file. For models whose tables
 * are read at random (tagger, lemmatizer, parser): with 4 KiB file pages
 * nearly every lookup misses the TLB, and under virtualisation a TLB miss
 * costs a two-level page walk, which dominated tagging and parsing. Costs
 * a few milliseconds and no extra memory once the map is gone. Section
 * pointers taken before the call are stale after it. CASUS_ENOMEM leaves
 * the model mapped and usable.
 */
casus_status model_make_hot(casus_ctx *ctx, model_file *m);
/* The named section, or NULL. */
const model_section *model_find(const model_file *m, const char *name);
/* Like model_find, but a missing section or one whose size is not a
 * multiple of elem is a CASUS_EFORMAT failure naming the model file. */
casus_status model_need(casus_ctx *ctx, const model_file *m, const char *path,
                        const char *name, size_t elem,
                        const model_section **out);

/* 64-bit checksum used by the container (fast; detects corruption, not
 * tampering). */
uint64_t model_checksum(const unsigned char *p, size_t n);

/* Building a model file (for the trainers). */
typedef struct model_writer_section {
    char name[MODEL_NAME_LEN + 1];
    buf data;
} model_writer_section;

typedef struct model_writer {
    char kind[MODEL_NAME_LEN + 1];
    char version[MODEL_NAME_LEN + 1];
    model_writer_section *sec;
    size_t n, cap;
} model_writer;

void model_writer_init(model_writer *w, const char *kind, const char *version);
/* Adds a section; its bytes are copied. Names are unique, <= 16 bytes. */
casus_status model_writer_add(casus_ctx *ctx, model_writer *w,
                              const char *name, const void *p, size_t n);
/* Writes the file atomically (temporary file, then rename). */
casus_status model_writer_save(casus_ctx *ctx, model_writer *w,
                               const char *path);
void model_writer_free(casus_ctx *ctx, model_writer *w);

#endif
